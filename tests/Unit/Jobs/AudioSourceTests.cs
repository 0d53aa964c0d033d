using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// Audio recordings as MP3 sources, on both engines: a field recorder's WAV (RF64 too), a voice memo's M4A, an
/// audiobook's M4B, AAC, last week's MP3, FLAC, Ogg and Opus. On the cloud what the service takes goes, the rest is
/// turned into what it takes, or refused before anything is paid.
/// </summary>
public class AudioSourceTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>3 s of a 440 Hz tone in <paramref name="extension"/>'s usual codec.</summary>
    private static Task<string> RecordingAsync(string extension) => Media.MadeAsync("recording-3s" + extension.Replace(".", "-") + extension, path =>
    {
        var args = new List<string> { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-ac", "2", "-metadata", "title=Field take 7" };
        args.AddRange(extension switch
        {
            ".wav" => new[] { "-c:a", "pcm_s16le" },
            ".m4a" or ".m4b" => new[] { "-c:a", "aac", "-b:a", "96k", "-f", "mp4" },
            ".aac" => new[] { "-c:a", "aac", "-b:a", "96k", "-f", "adts" },
            ".mp3" => new[] { "-c:a", "libmp3lame", "-b:a", "64k" },
            ".flac" => new[] { "-c:a", "flac" },
            ".ogg" => new[] { "-c:a", "libvorbis" },
            ".opus" => new[] { "-c:a", "libopus", "-b:a", "64k" },
            _ => throw new ArgumentException(extension),
        });
        args.Add(path);
        return args;
    });

    private static Task<string> Rf64Async() => Media.MadeAsync("recording-3s-rf64.wav", path => new List<string>
        { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "3", "-c:a", "pcm_s24le", "-rf64", "always", path });

    private async Task<string> SourceAsync(string extension)
    {
        var path = _env.PathIn("take" + extension);
        File.Copy(extension == ".rf64" ? await Rf64Async() : await RecordingAsync(extension), extension == ".rf64" ? path = _env.PathIn("take.wav") : path, overwrite: true);
        return path;
    }

    [Theory]
    [InlineData(".wav")]
    [InlineData(".rf64")]
    [InlineData(".m4a")]
    [InlineData(".m4b")]
    [InlineData(".aac")]
    [InlineData(".mp3")]
    [InlineData(".flac")]
    [InlineData(".ogg")]
    [InlineData(".opus")]
    public async Task On_this_machine_every_kind_of_recording_becomes_an_MP3_of_its_length(string extension)
    {
        var source = await SourceAsync(extension);
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(new Mp3Request(source, _env.PathIn("take.audio.mp3"), 128));
        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("mp3", probe.Audio.Codec);
        Assert.InRange(probe.Duration, 2.9, 3.15);
        Assert.Equal(128, result.BitrateKbps);
    }

    [Theory]
    [InlineData(".wav", true, ".wav")]
    [InlineData(".m4a", true, ".m4a")]
    [InlineData(".m4b", true, ".m4a")]
    [InlineData(".aac", true, ".m4a")]
    [InlineData(".mp3", true, ".mp3")]
    [InlineData(".flac", true, ".wav")]
    [InlineData(".ogg", true, ".wav")]
    [InlineData(".opus", true, ".wav")]
    [InlineData(".wav", false, ".wav")]
    [InlineData(".mp3", false, ".mp3")]
    [InlineData(".m4a", false, ".aac")]
    [InlineData(".m4b", false, ".aac")]
    public async Task Through_the_cloud_every_recording_goes_up_in_a_type_the_service_takes(string extension, bool ffmpeg, string sent)
    {
        var source = await SourceAsync(extension);
        await using var emu = await Emulators.StartAsync(o => { o.Documented = true; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg).RunAsync(new Mp3Request(source, _env.PathIn("take.audio.mp3"), 128));
        var upload = Assert.Single(emu.Store.Uploads);
        Assert.Equal(("audio", sent), (upload.FileType, Path.GetExtension(upload.FileName)));
        var facts = MediaInspector.Inspect(result.Output.FullName);
        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.InRange(facts.Duration!.Value.TotalSeconds, 2.9, 3.15);
        Assert.False(result.FinishedLocally);
    }

    [Theory]
    [InlineData(".flac")]
    [InlineData(".ogg")]
    [InlineData(".opus")]
    public async Task Without_ffmpeg_a_recording_the_service_does_not_take_is_refused_before_anything_is_sent(string extension)
    {
        var source = await SourceAsync(extension);
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn("take.audio.mp3"), 128)));
        Assert.Equal(InputProblem.UnsupportedType, ex.Problem);
        Assert.Contains("cannot be sent as it is", ex.Message);
        Assert.Contains("Install ffmpeg", ex.Advice);
        Assert.Equal((0, 0), (emu.Store.SessionCount, emu.Store.Uploads.Count));
    }

    [Fact]
    public async Task A_text_file_named_mp4_is_refused_as_not_media_before_a_session_is_made()
    {
        var fake = _env.PathIn("talk.mp4");
        File.WriteAllText(fake, "These are the notes for the talk, not the talk.");
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(fake, _env.PathIn("talk.mp3"), 128)));
        Assert.Equal(InputProblem.NotMedia, ex.Problem);
        Assert.Equal((0, 0), (emu.Store.SessionCount, emu.Store.Uploads.Count));
    }

    [Theory]
    [InlineData(".m4b")]
    [InlineData(".mp3")]
    public async Task An_audiobooks_or_an_episodes_chapters_and_title_are_carried_like_a_videos(string extension)
    {
        // The podcast recording's audio, its chapters and tags as the book or episode carries them.
        var recording = await Media.PodcastSourceAsync(".mkv");
        var source = await Media.MadeAsync("chaptered" + extension, path => new List<string>
            { "-i", recording, "-map", "0:a", "-map_metadata", "0", "-map_chapters", "0", "-c:a", extension == ".mp3" ? "libmp3lame" : "aac", "-b:a", "96k", "-id3v2_version", "3", path });
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(new Mp3Request(source, _env.PathIn("book.mp3"), 128));
        var facts = MediaInspector.Inspect(result.Output.FullName);
        Assert.Equal(Media.PodcastChapters.Select(c => c.Title), facts.Chapters.Select(c => c.Title));
        Assert.Equal("Episode 42: Loudness", facts.Tags.GetValueOrDefault("title") ?? facts.Tags.GetValueOrDefault("TITLE"));
    }

    [Fact]
    public async Task An_MP3_with_nothing_asked_is_copied_on_this_machine_and_a_rate_below_the_default_is_said()
    {
        var source = await SourceAsync(".mp3"); // 64 kbps
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(new Mp3Request(source, _env.PathIn("take.audio.mp3")));
        Assert.True(result.StreamCopied);
        Assert.Equal(64, result.BitrateKbps);
        Assert.Null(result.RequestedBitrateKbps);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("keeps the 64 kbps MP3 audio", warning);
        Assert.Contains("-Bitrate 192", warning);
        Assert.Equal("Field take 7", result.Facts!.Tags.GetValueOrDefault("title") ?? result.Facts.Tags.GetValueOrDefault("TITLE"));
    }

    [Fact]
    public async Task On_the_cloud_a_loudness_the_source_cannot_reach_is_refused_from_its_measurement_before_anything_is_sent()
    {
        var speech = await RawAudio.SpeechAsync(); // raw speech: −21 LUFS with peaks near −1.5 dBTP
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var request = new Mp3Request(speech, _env.PathIn("speech.mp3"), 128) { Loudness = new LoudnessTarget(-12, -6) };
        var ex = await Assert.ThrowsAsync<LocalEngineException>(() => FastJobs.Cloud(client, ffmpeg: true).RunAsync(request));
        Assert.Contains("cannot be brought to", ex.Message);
        Assert.Contains("-Loudness", ex.Advice);
        Assert.Equal((0, 0, 0), (emu.Store.SessionCount, emu.Store.Uploads.Count, emu.Store.AgentMessages));
    }

    [Fact]
    public void A_miss_on_this_machine_gives_advice_for_the_kind_of_file_in_front_of_it()
    {
        Assert.DoesNotContain("height", new Mp3Request(_env.PathIn("a.mp3"), _env.PathIn("b.mp3")).EncodeMissAdvice);
        Assert.Contains("height", new CompressRequest(_env.PathIn("a.mp4"), _env.PathIn("b.mp4"), 1000).EncodeMissAdvice);
    }
}
