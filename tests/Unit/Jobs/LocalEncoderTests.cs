using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>The local engine's ffmpeg runner by itself: a plan's passes run in order with real ffmpeg, their progress
/// mapped into the share of the job they were given, a failing pass an error naming the file.</summary>
public class LocalEncoderTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly List<JobProgress> _seen = new();
    public void Dispose() => _env.Dispose();

    private async Task<JobContext> ContextAsync(string source, bool probed = true)
    {
        var tools = FfmpegTools.Locate();
        return new JobContext(new Mp3Request(source, _env.PathIn("out.mp3"), 128), NemoEngine.Local, new SyncProgress<JobProgress>(_seen.Add), () => tools)
        {
            Source = new FileInfo(source),
            Tools = tools,
            Info = probed ? await MediaProbe.ProbeAsync(tools, source) : null,
        };
    }

    /// <summary>An audio-only MP3 encode of <paramref name="source"/> into <paramref name="output"/>, as a pass.</summary>
    private static IReadOnlyList<string> Mp3Pass(string source, string output) =>
        LocalEncoder.CommonArgs.Concat(new[] { "-i", source, "-vn", "-c:a", "libmp3lame", "-b:a", "96k", output }).ToList();

    [Fact]
    public async Task RunAsync_runs_every_pass_in_order_with_real_ffmpeg()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);
        var first = _env.PathIn("first.mp3");
        var second = _env.PathIn("second.mp3");
        // The second pass reads what the first wrote: run out of order, it has nothing to read.
        var plan = new LocalPlan(new[] { Mp3Pass(clip, first), Mp3Pass(first, second) }, 96, streamCopied: false);

        await new LocalEncoder(job).RunAsync(plan, (0, 1), CancellationToken.None);

        var made = await Media.ProbeAsync(second);
        Assert.Equal("mp3", made.Audio.Codec);
        Assert.InRange(made.Duration, 2.5, 3.5);
    }

    [Fact]
    public async Task RunAsync_reports_each_pass_within_its_share_of_the_window_in_order()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);
        var plan = new LocalPlan(new[] { Mp3Pass(clip, _env.PathIn("a.mp3")), Mp3Pass(clip, _env.PathIn("b.mp3")) }, 96, false);

        await new LocalEncoder(job).RunAsync(plan, (0.2, 0.6), CancellationToken.None); // 20 % to 80 % of the job

        Assert.All(_seen, p => Assert.Equal(JobStage.Encoding, p.Stage));
        Assert.All(_seen, p => Assert.InRange(p.Percent!.Value, 20, 80));
        var percents = _seen.Select(p => p.Percent!.Value).ToList();
        Assert.Equal(percents.OrderBy(p => p), percents); // never backwards
        var name = Path.GetFileName(clip);
        Assert.Equal((20, $"Encoding {name} (pass 1 of 2)"), (_seen[0].Percent!.Value, _seen[0].Status));
        var secondStart = _seen.FindIndex(p => p.Status == $"Encoding {name} (pass 2 of 2)");
        Assert.True(secondStart > 0);
        Assert.Equal(50, _seen[secondStart].Percent); // the second half of the window
        Assert.All(_seen.Take(secondStart), p => Assert.Equal($"Encoding {name} (pass 1 of 2)", p.Status));
        Assert.All(_seen.Skip(secondStart), p => Assert.Equal($"Encoding {name} (pass 2 of 2)", p.Status));
        Assert.Contains(_seen.Take(secondStart), p => p.Percent > 20);  // ffmpeg's own progress read during pass 1
        Assert.Contains(_seen.Skip(secondStart), p => p.Percent > 50);  // and during pass 2
    }

    [Fact]
    public async Task A_single_pass_is_labelled_without_a_pass_count()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);

        await new LocalEncoder(job).RunAsync(new LocalPlan(new[] { Mp3Pass(clip, _env.PathIn("a.mp3")) }, 96, false), (0, 1), CancellationToken.None);

        Assert.All(_seen, p => Assert.Equal("Encoding " + Path.GetFileName(clip), p.Status));
        Assert.Equal(0, _seen[0].Percent);
    }

    [Fact]
    public async Task Without_the_sources_length_only_the_start_of_each_pass_is_reported()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip, probed: false);
        var plan = new LocalPlan(new[] { Mp3Pass(clip, _env.PathIn("a.mp3")), Mp3Pass(clip, _env.PathIn("b.mp3")) }, 96, false);

        await new LocalEncoder(job).RunAsync(plan, (0, 1), CancellationToken.None);

        Assert.Equal(new int?[] { 0, 50 }, _seen.Select(p => p.Percent));
    }

    [Fact]
    public async Task A_failing_pass_throws_naming_the_file_and_the_passes_after_it_do_not_run()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);
        var after = _env.PathIn("after.mp3");
        var broken = LocalEncoder.CommonArgs.Concat(new[] { "-i", _env.PathIn("no-such-input.mkv"), _env.PathIn("x.mp3") }).ToList();
        var plan = new LocalPlan(new[] { broken, Mp3Pass(clip, after) }, 96, false);

        var ex = await Assert.ThrowsAsync<LocalEngineException>(() => new LocalEncoder(job).RunAsync(plan, (0, 1), CancellationToken.None));

        Assert.Equal(LocalErrorKind.ConversionFailed, ex.Kind);
        Assert.Contains($"convert '{Path.GetFileName(clip)}'", ex.Message);
        Assert.Contains("no-such-input.mkv", ex.ToolOutput); // ffmpeg's last words attached
        Assert.False(File.Exists(after));
        Assert.Equal($"Encoding {Path.GetFileName(clip)} (pass 1 of 2)", Assert.Single(_seen).Status);
    }

    [Fact]
    public async Task RunMeasuredAsync_writes_the_mp3_and_returns_the_loudness_of_what_it_wrote()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);
        var output = _env.PathIn("measured.mp3");
        var plan = ((Mp3Request)job.Request).Plan(job.Info!, output, "volume=-6dB", alsoToStdout: true);

        var reading = await new LocalEncoder(job).RunMeasuredAsync(plan, 0.4, CancellationToken.None);

        Assert.Equal("mp3", (await Media.ProbeAsync(output)).Audio.Codec);
        var (integrated, truePeak) = await Media.LoudnessAsync(output); // measured again, from the file
        Assert.InRange(reading.Integrated, integrated - 0.5, integrated + 0.5);
        Assert.InRange(reading.TruePeak, truePeak - 0.5, truePeak + 0.5);
        Assert.All(_seen, p => Assert.InRange(p.Percent!.Value, 40, 100));
        Assert.Equal((40, $"Encoding {Path.GetFileName(clip)} at its loudness"), (_seen[0].Percent!.Value, _seen[0].Status));
        Assert.Contains(_seen, p => p.Percent > 40);
    }

    [Fact]
    public async Task RunMeasuredAsync_with_a_failing_encode_throws_naming_the_file()
    {
        var clip = await Media.ClipAsync(seconds: 3);
        using var job = await ContextAsync(clip);
        var broken = LocalEncoder.CommonArgs.Concat(new[] { "-i", _env.PathIn("missing.mkv"), "-f", "mp3", "pipe:1" }).ToList();

        var ex = await Assert.ThrowsAsync<LocalEngineException>(() =>
            new LocalEncoder(job).RunMeasuredAsync(new LocalPlan(new[] { broken }, 128, false), 0, CancellationToken.None));

        Assert.Contains($"convert '{Path.GetFileName(clip)}'", ex.Message);
        Assert.Equal(LocalErrorKind.ConversionFailed, ex.Kind);
    }
}
