using NemoVideo.Local;

namespace NemoVideo.Tests.Local;

/// <summary>An encoder piped into a meter, both real ffmpeg processes: neither may leave the other waiting.</summary>
public class PipedRunTests
{
    private static readonly string[] Producer =
    {
        "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:2", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=600",
        "-c:a", "libmp3lame", "-b:a", "64k", "-f", "mp3", "pipe:1",
    };

    [Fact]
    public async Task A_meter_that_stops_reading_early_does_not_leave_the_encoder_blocked()
    {
        var tools = FfmpegTools.Locate();
        var meter = new[] { "-hide_banner", "-nostdin", "-loglevel", "error", "-f", "mp3", "-i", "pipe:0", "-t", "0.5", "-f", "null", "-" };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var progress = 0;
        var (encode, measure) = await FfmpegTools.RunPipedAsync(tools.Ffmpeg, Producer, meter, _ => Interlocked.Increment(ref progress), timeout.Token);
        Assert.False(timeout.IsCancellationRequested);
        Assert.Equal(0, measure.ExitCode);
        Assert.Equal(0, encode.ExitCode); // drained to the end, not killed
        Assert.True(progress > 0);
    }

    [Fact]
    public async Task Cancelling_kills_both_processes_at_once()
    {
        var tools = FfmpegTools.Locate();
        var meter = LoudnessMeter.MeasureArgs("pipe:0");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FfmpegTools.RunPipedAsync(tools.Ffmpeg, Producer, meter, null, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }
}
