using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// An MP3 job through the cloud sends only the audio it needs: the one track, taken out here (with ffmpeg, or the
/// module's own readers without it), so recordings over the service's 500 MB limit go through, and the result is
/// judged against the source. Real files over the limit, made by looping a clip without re-encoding.
/// </summary>
public class AudioUploadTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly string _scratch;

    public AudioUploadTests() => _scratch = Directory.CreateDirectory(_env.PathIn("scratch")).FullName;

    public void Dispose() => _env.Dispose();

    private CloudJob Job(NemoApiClient client, bool ffmpeg = true) => FastJobs.Cloud(client, ffmpeg, _scratch);

    private static Task<EmulatorServer> Emulator(bool documented) =>
        Emulators.StartAsync(o => { o.Documented = documented; o.AnonymousCredits = 10_000; });

    [Theory]
    [InlineData(".mkv", true, false)]
    [InlineData(".mkv", false, false)]
    [InlineData(".mov", true, false)]
    [InlineData(".mov", false, false)]
    [InlineData(".mkv", true, true)]
    [InlineData(".mkv", false, true)]
    [InlineData(".mov", false, true)]
    public async Task A_recording_over_the_limit_sends_only_its_audio_track_and_the_MP3_has_the_sources_length(string container, bool ffmpeg, bool documented)
    {
        var source = await Media.RecordingOverTheLimitAsync(container);
        Assert.True(new FileInfo(source).Length > MediaRules.MaxUploadBytes);
        var audioBytes = await Media.AudioTrackBytesAsync(source);
        var sourceSeconds = (await Media.ProbeAsync(source)).Duration;
        await using var emu = await Emulator(documented);
        using var client = _env.Client(emu);

        var result = await Job(client, ffmpeg).RunAsync(new Mp3Request(source, _env.PathIn("webinar.mp3"), 128));

        var upload = Assert.Single(emu.Store.Uploads);
        Assert.Equal("audio", upload.FileType);
        Assert.InRange(upload.Bytes, audioBytes, (long)(audioBytes * 1.15));
        Assert.StartsWith("over-the-limit.", upload.FileName);
        var made = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("mp3", made.Audio.Codec);
        Assert.InRange(made.Duration, sourceSeconds - 0.15, sourceSeconds + 0.15);
        Assert.Equal(sourceSeconds, result.SourceDuration!.Value.TotalSeconds, 1);
        Assert.Equal(128, result.BitrateKbps);
        Assert.False(result.FinishedLocally);
        Assert.Empty(Directory.GetFileSystemEntries(_scratch, "*", SearchOption.AllDirectories)); // the audio taken out is gone with the job
    }

    [Fact]
    public async Task Without_a_track_name_the_agent_is_not_told_a_track_the_upload_does_not_have()
    {
        var source = await Media.ClipAsync(".mkv", seconds: 3, audioTracks: 2);
        await using var emu = await Emulator(documented: false);
        using var client = _env.Client(emu);
        var result = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("second.mp3"), 96, audioTrack: 2));
        Assert.Equal(1, MediaInspector.Inspect(result.Output.FullName).Channels); // track 2 is the mono one
        var upload = Assert.Single(emu.Store.Uploads); // the agent would have said "there is no track 2" of a one-track upload
        Assert.Equal("audio", upload.FileType);
    }

    [Fact]
    public async Task SendWholeFile_sends_the_file_as_it_is()
    {
        var source = await Media.ClipAsync(".mkv", seconds: 3);
        await using var emu = await Emulator(documented: false);
        using var client = _env.Client(emu);
        await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("whole.mp3"), 128) { SendWholeFile = true });
        var upload = Assert.Single(emu.Store.Uploads);
        Assert.Equal(("video", new FileInfo(source).Length), (upload.FileType, upload.Bytes));
    }

    [Fact]
    public async Task SendWholeFile_over_the_limit_is_refused_before_anything_is_sent_saying_what_would_work()
    {
        var source = await Media.RecordingOverTheLimitAsync(".mkv");
        await using var emu = await Emulator(documented: false);
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => Job(client).RunAsync(new Mp3Request(source, _env.PathIn("whole.mp3"), 128) { SendWholeFile = true }));
        Assert.Equal(InputProblem.TooLarge, ex.Problem);
        Assert.Contains("over the service's 500 MB limit; nothing was sent", ex.Message);
        Assert.Contains("Leave out -SendWholeFile", ex.Advice);
        Assert.Empty(emu.Store.Uploads);
        Assert.Equal(0, emu.Store.SessionCount);
        Assert.False(File.Exists(_env.PathIn("whole.mp3")));
    }

    [Fact]
    public async Task Opus_is_sent_as_lossless_WAV_when_that_fits()
    {
        var source = await Media.TwoLanguageClipAsync(); // track 2 is Opus, tagged ger, 2 s
        await using var emu = await Emulator(documented: true);
        using var client = _env.Client(emu);
        var result = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("ger.mp3"), 128) { AudioLanguage = "ger" });
        var upload = Assert.Single(emu.Store.Uploads);
        Assert.EndsWith(".wav", upload.FileName);
        Assert.Equal("audio", upload.FileType);
        Assert.InRange(upload.Bytes, 2.0 * 48000 * 2 * 0.95, 2.0 * 48000 * 2 * 1.05); // 2 s of 16-bit mono at 48 kHz
        Assert.InRange((await Media.ProbeAsync(result.Output.FullName)).Duration, 1.9, 2.2);
    }

    [Fact]
    public async Task Without_ffmpeg_audio_its_readers_cannot_take_out_goes_whole_when_it_fits_and_is_refused_over_the_limit_saying_install_ffmpeg()
    {
        var small = await Media.ClipAsync(".webm", seconds: 2); // VP9 + Opus
        var recording = await Media.RecordingOverTheLimitAsync(".mkv");
        var big = await Media.MadeAsync("over-the-limit-opus.mkv", path => new List<string>
        {
            "-i", recording, "-map", "0:v", "-map", "0:a", "-c:v", "copy", "-c:a", "libopus", "-b:a", "96k", path,
        });
        await using var emu = await Emulator(documented: false);
        using var client = _env.Client(emu);

        await Job(client, ffmpeg: false).RunAsync(new Mp3Request(small, _env.PathIn("small.mp3"), 128));
        var upload = Assert.Single(emu.Store.Uploads);
        Assert.Equal(("video", new FileInfo(small).Length), (upload.FileType, upload.Bytes));

        var ex = await Assert.ThrowsAsync<MediaInputException>(() => Job(client, ffmpeg: false).RunAsync(new Mp3Request(big, _env.PathIn("big.mp3"), 128)));
        Assert.Equal(InputProblem.TooLarge, ex.Problem);
        Assert.Contains("opus", ex.Advice, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Install ffmpeg", ex.Advice);
        Assert.Single(emu.Store.Uploads);
    }

    [Theory]
    [InlineData("aac", null, 3600, ".m4a", "copy")]
    [InlineData("alac", "s32p", 3600, ".m4a", "copy")]
    [InlineData("mp3", "fltp", 3600, ".mp3", "copy")]
    [InlineData("opus", "fltp", 600, ".wav", "pcm_s16le")]
    [InlineData("flac", "s32", 600, ".wav", "pcm_s24le")]
    [InlineData("flac", "s16", 600, ".wav", "pcm_s16le")]
    [InlineData("opus", "fltp", 3600, ".m4a", "aac")]
    [InlineData("ac3", "fltp", null, ".m4a", "aac")]
    public void Each_codec_goes_up_in_a_type_the_service_takes(string codec, string? sampleFormat, int? seconds, string extension, string how)
    {
        var stream = new MediaStream { Type = "audio", Codec = codec, SampleFormat = sampleFormat, Channels = 2, SampleRate = 48000 };
        var plan = AudioTakeOut.For(stream, seconds is int s ? TimeSpan.FromSeconds(s) : null, MediaRules.MaxUploadBytes);
        Assert.Equal(extension, plan.Extension);
        Assert.Equal(how, plan.CodecArgs[1]);
        Assert.Equal(how == "copy", plan.Copied);
        Assert.Contains(MediaRules.FileTypeOf("x" + plan.Extension), new[] { "audio" });
    }
}
