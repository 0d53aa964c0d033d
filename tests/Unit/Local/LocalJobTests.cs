using System.Text;
using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Auth;
using NemoVideo.Media;

namespace NemoVideo.Tests.Local;

/// <summary>The local engine with real ffmpeg on media made at test time, checked with ffprobe.</summary>
public class LocalJobTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly LocalJob _job = new(FfmpegTools.Locate());
    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData(".mp4")]  // aac
    [InlineData(".mov")]  // aac
    [InlineData(".avi")]  // mp3, re-encoded because a bitrate is asked for
    [InlineData(".webm")] // opus
    [InlineData(".mkv")]  // aac
    public async Task Extracts_a_CBR_MP3_from_every_container(string container)
    {
        var source = await Media.ClipAsync(container, seconds: 4);
        var progress = new List<JobProgress>();
        var result = await _job.RunAsync(new Mp3Request(source, _env.PathIn("out.mp3"), 160), new SyncProgress<JobProgress>(progress.Add));
        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("mp3", probe.Audio.Codec);
        Assert.InRange(probe.Audio.BitRate!.Value, 160_000 * 0.95, 160_000 * 1.05);
        Assert.InRange(probe.Duration, 4 - 0.2, 4 + 0.2);
        Assert.Equal((NemoEngine.Local, false, 160), (result.Engine, result.StreamCopied, result.BitrateKbps!.Value));
        Assert.Contains(progress, p => p.Stage == JobStage.Encoding);
        Assert.Equal(100, progress.Last().Percent);
        Assert.Single(Directory.GetFiles(_env.WorkDirectory)); // no temporary file left
    }

    [Fact]
    public async Task Copies_an_MP3_stream_as_it_is_when_nothing_asks_for_a_change_and_carries_the_tags_over()
    {
        var source = await Media.Mp3AudioClipAsync(seconds: 3, kbps: 160);
        var result = await _job.RunAsync(new Mp3Request(source, _env.PathIn("copy.mp3"), Mp3Encoding.Default));
        Assert.True(result.StreamCopied);
        Assert.Equal(160, result.BitrateKbps);
        Assert.Equal(160_000, (await Media.ProbeAsync(result.Output.FullName)).Audio.BitRate);
        var (_, tags, _) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_entries", "format_tags=title,artist", "-of", "default=nw=1", result.Output.FullName });
        Assert.Contains("TAG:title=Episode 12: Tests", tags);
        Assert.Contains("TAG:artist=NemoVideo", tags);

        var reencoded = await _job.RunAsync(new Mp3Request(source, _env.PathIn("asked.mp3"), 96));
        Assert.False(reencoded.StreamCopied);
        Assert.Equal(96_000, (await Media.ProbeAsync(reencoded.Output.FullName)).Audio.BitRate);
    }

    [Fact]
    public async Task Encodes_VBR_with_a_Xing_header_when_a_quality_is_asked_for()
    {
        var source = await Media.ClipAsync(".mp4", seconds: 3);
        var result = await _job.RunAsync(new Mp3Request(source, _env.PathIn("vbr.mp3"), Mp3Encoding.Variable(2)));
        Assert.Null(result.RequestedBitrateKbps); // VBR: no rate was asked for
        Assert.True(result.IsVbr, "measured from the file: variable bitrate");
        Assert.InRange(result.BitrateKbps!.Value, 20, 260); // the measured average of a sine tone
        var head = Encoding.ASCII.GetString(File.ReadAllBytes(result.Output.FullName).Take(8192).ToArray());
        Assert.Contains("Xing", head); // LAME writes Xing for VBR, Info for CBR
        var cbr = await _job.RunAsync(new Mp3Request(source, _env.PathIn("cbr.mp3"), 128));
        Assert.Contains("Info", Encoding.ASCII.GetString(File.ReadAllBytes(cbr.Output.FullName).Take(8192).ToArray()));
    }

    [Fact]
    public async Task Picks_the_audio_track_by_number_or_by_language()
    {
        var source = await Media.TwoLanguageClipAsync();
        var byLanguage = await _job.RunAsync(new Mp3Request(source, _env.PathIn("ger.mp3"), 128) { AudioLanguage = "ger" });
        Assert.InRange((await Media.ProbeAsync(byLanguage.Output.FullName)).Duration, 1.8, 2.2); // the 2-second German track
        var byNumber = await _job.RunAsync(new Mp3Request(source, _env.PathIn("first.mp3"), 128, audioTrack: 1));
        Assert.InRange((await Media.ProbeAsync(byNumber.Output.FullName)).Duration, 2.8, 3.2);
        var twoLetter = await _job.RunAsync(new Mp3Request(source, _env.PathIn("en.mp3"), 128) { AudioLanguage = "en" });
        Assert.InRange((await Media.ProbeAsync(twoLetter.Output.FullName)).Duration, 2.8, 3.2);

        var noTrack = await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(source, _env.PathIn("x.mp3"), 128, audioTrack: 3)));
        Assert.Equal(InputProblem.NoSuchTrack, noTrack.Problem);
        Assert.Contains("there is no track 3", noTrack.Message);
        Assert.Equal(2, noTrack.TrackCount);
        var noLanguage = await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(source, _env.PathIn("x.mp3"), 128) { AudioLanguage = "fra" }));
        Assert.Equal("1 (eng), 2 (ger)", noLanguage.Detail);
    }

    [Fact]
    public async Task Bad_input_gets_a_clear_error_and_nothing_is_written()
    {
        var silent = await Media.SilentClipAsync();
        Assert.Equal(InputProblem.NoSuchTrack, (await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(silent, _env.PathIn("a.mp3"))))).Problem);

        var empty = _env.PathIn("empty.mp4");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(empty, _env.PathIn("b.mp3"))));
        Assert.Equal(InputProblem.Empty, ex.Problem);
        Assert.Contains("0 bytes", ex.Message);

        var text = _env.PathIn("notes.mp4");
        File.WriteAllText(text, "not a video at all");
        Assert.Equal(InputProblem.NotMedia, (await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(text, _env.PathIn("c.mp3"))))).Problem);

        var truncated = _env.PathIn("truncated.mp4");
        var whole = File.ReadAllBytes(await Media.ClipAsync(".mp4", seconds: 4));
        File.WriteAllBytes(truncated, whole.Take(whole.Length / 3).ToArray());
        ex = await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(truncated, _env.PathIn("d.mp3"))));
        Assert.Equal(InputProblem.NotMedia, ex.Problem);
        Assert.Contains("ffprobe said:", ex.Message); // ffprobe's own words reach the user

        File.WriteAllText(_env.PathIn("slides.pdf"), "x");
        Assert.Equal(InputProblem.UnsupportedType, (await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(_env.PathIn("slides.pdf"), _env.PathIn("e.mp3"))))).Problem);
        // An MP3 source type with text in it: ffprobe guesses "raw FLAC" from the name alone, with no channels; not media.
        File.WriteAllText(_env.PathIn("song.flac"), "x");
        Assert.Equal(InputProblem.NotMedia, (await Assert.ThrowsAsync<MediaInputException>(() => _job.RunAsync(new Mp3Request(_env.PathIn("song.flac"), _env.PathIn("f.mp3"))))).Problem);
        Assert.Equal(new[] { "empty.mp4", "notes.mp4", "slides.pdf", "song.flac", "truncated.mp4" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName).OrderBy(n => n));
    }

    [LinuxFact("/proc, which refuses new files even to root, exists only on Linux")]
    public async Task An_output_folder_that_cannot_be_written_is_reported_before_encoding()
    {
        var ex = await Assert.ThrowsAsync<LocalEngineException>(async () => await _job.RunAsync(new Mp3Request(await Media.ClipAsync(), "/proc/nemo-test.mp3")));
        Assert.Equal(LocalErrorKind.OutputNotWritable, ex.Kind);
    }

    [Fact]
    public async Task Cancelling_kills_ffmpeg_and_removes_the_partial_file()
    {
        var source = await Media.ClipAsync(".mp4", seconds: 60, height: 720);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<JobProgress>(p => { if (p.Stage == JobStage.Encoding && p.Percent > 2) cts.Cancel(); });
        // A folder of this test's own for the pass logs: the system's is shared with every other run on the machine.
        var logs = Directory.CreateDirectory(Path.Combine(_env.WorkDirectory, "..", "logs-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var job = new LocalJob(FfmpegTools.Locate()) { TempDirectory = logs };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            job.RunAsync(new CompressRequest(source, _env.PathIn("big.mp4"), 3000) { TwoPass = true }, progress, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
        Assert.Empty(Directory.GetFiles(logs));
        Directory.Delete(logs);
    }

    [Fact]
    public async Task Compresses_to_the_bitrate_and_height_asked_for_with_faststart_and_copied_audio()
    {
        var source = await Media.ClipAsync(".mp4", seconds: 6, height: 720);
        var result = await _job.RunAsync(new CompressRequest(source, _env.PathIn("small.mp4"), 600, height: 360) { TwoPass = true });
        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal(("h264", 360, 640), (probe.Video.Codec, probe.Video.Height!.Value, probe.Video.Width!.Value));
        Assert.InRange(probe.Video.BitRate!.Value, 600_000 * 0.95, 600_000 * 1.05);
        Assert.Equal("aac", probe.Audio.Codec);
        Assert.InRange(probe.Duration, 6 - 0.2, 6 + 0.2);
        var bytes = File.ReadAllBytes(result.Output.FullName);
        var text = Encoding.ASCII.GetString(bytes);
        Assert.True(text.IndexOf("moov", StringComparison.Ordinal) < text.IndexOf("mdat", StringComparison.Ordinal), "+faststart puts the index first");
    }

    [Fact]
    public async Task Parallel_two_pass_runs_keep_their_own_pass_logs()
    {
        var source = await Media.ClipAsync(".mp4", seconds: 3);
        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            _job.RunAsync(new CompressRequest(source, _env.PathIn($"p{i}.mp4"), 400) { TwoPass = true })));
        foreach (var r in results) Assert.Equal("h264", (await Media.ProbeAsync(r.Output.FullName)).Video.Codec);
    }

    [Fact]
    public void A_missing_ffmpeg_says_how_to_install_it_everywhere()
    {
        var env = new NemoEnvironment(_env.ConfigDirectory, name => name == "PATH" ? _env.WorkDirectory : null);
        var ex = Assert.Throws<LocalEngineException>(() => FfmpegTools.Locate(env));
        Assert.Equal(LocalErrorKind.ToolMissing, ex.Kind);
        foreach (var hint in new[] { "winget", "brew", "apt-get", "NEMO_FFMPEG" }) Assert.Contains(hint, ex.Message);
        var named = new NemoEnvironment(_env.ConfigDirectory, name => name == "NEMO_FFMPEG" ? "/nowhere/ffmpeg" : null);
        Assert.Contains("/nowhere/ffmpeg", Assert.Throws<LocalEngineException>(() => FfmpegTools.Locate(named)).Message);
    }

    [Fact]
    public void Arguments_with_spaces_and_quotes_survive_the_command_line()
    {
        var quoted = FfmpegTools.Quote(new[] { "-i", "my file.mp4", "a\"b", "C:\\dir with space\\", "" });
        Assert.Equal("-i \"my file.mp4\" \"a\\\"b\" \"C:\\dir with space\\\\\" \"\"", quoted);
    }
}
