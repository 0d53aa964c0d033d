using System.Collections.Concurrent;
using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

public class BatchRunnerTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private sealed class Recorder : IBatchObserver
    {
        public ConcurrentQueue<string> Events { get; } = new();
        public List<int> StoppedItems { get; } = new();
        public int StoppedCalls;
        public void Started(int index) => Events.Enqueue("start " + index);
        public void Progress(int index, JobProgress progress) => Events.Enqueue($"progress {index} {progress.Stage}");
        public void Completed(int index, JobResult result) => Events.Enqueue("done " + index);
        public void Failed(int index, Exception error) => Events.Enqueue($"fail {index} {(error as NemoApiException)?.Kind}");
        public void Stopped(IReadOnlyList<int> indexes, NemoApiException cause) { Interlocked.Increment(ref StoppedCalls); lock (StoppedItems) StoppedItems.AddRange(indexes); }
    }

    private static List<MediaJobRequest> Requests(int n) => Enumerable.Range(0, n).Select(i => (MediaJobRequest)new Mp3Request($"in{i}.mp4", $"out{i}.mp3")).ToList();

    [Fact]
    public async Task Runs_at_most_the_throttle_at_once_and_reports_each_result_as_it_finishes()
    {
        var running = 0; var peak = 0;
        var runner = new BatchRunner(async (r, p, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            var i = int.Parse(r.SourcePath[2..^4]);
            await Task.Delay(i == 0 ? 400 : 50, ct); // the first is the slowest: later ones must not wait for it
            Interlocked.Decrement(ref running);
            return new JobResult { Output = new FileInfo(r.OutputPath), Source = r.SourcePath };
        }, throttle: 3);
        var rec = new Recorder();
        await runner.RunAsync(Requests(9), rec, CancellationToken.None);
        Assert.Equal(3, peak);
        var done = rec.Events.Where(e => e.StartsWith("done")).ToList();
        Assert.Equal(9, done.Count);
        Assert.NotEqual("done 0", done[0]);
    }

    [Fact]
    public async Task One_failure_does_not_stop_the_others()
    {
        var runner = new BatchRunner((r, p, ct) => r.SourcePath == "in2.mp4"
            ? Task.FromException<JobResult>(new NemoApiException(NemoErrorKind.UnsupportedFile, "bad"))
            : Task.FromResult(new JobResult { Output = new FileInfo(r.OutputPath) }), throttle: 2);
        var rec = new Recorder();
        await runner.RunAsync(Requests(5), rec, CancellationToken.None);
        Assert.Equal(4, rec.Events.Count(e => e.StartsWith("done")));
        Assert.Contains("fail 2 UnsupportedFile", rec.Events);
    }

    [Fact]
    public async Task Running_out_of_credits_stops_new_starts_and_says_so_once_for_every_file_not_converted()
    {
        var started = 0;
        var runner = new BatchRunner(async (r, p, ct) =>
        {
            Interlocked.Increment(ref started);
            await Task.Delay(20, ct);
            throw new NemoApiException(NemoErrorKind.InsufficientCredits, "no credits", 2001);
        }, throttle: 4);
        var rec = new Recorder();
        await runner.RunAsync(Requests(10), rec, CancellationToken.None);
        Assert.DoesNotContain(rec.Events, e => e.StartsWith("fail")); // no error per file: one for all
        Assert.InRange(started, 4, 7); // the ones already running when the first failed
        Assert.Equal(1, rec.StoppedCalls);
        Assert.Equal(Enumerable.Range(0, 10), rec.StoppedItems); // those that met it and those never started
    }

    [Fact]
    public async Task Cancellation_waits_for_running_jobs_to_clean_up_then_throws()
    {
        var cleaned = 0;
        var runner = new BatchRunner(async (r, p, ct) =>
        {
            try { await Task.Delay(Timeout.Infinite, ct); return null!; }
            finally { await Task.Delay(100); Interlocked.Increment(ref cleaned); }
        }, throttle: 3);
        using var cts = new CancellationTokenSource(200);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(Requests(6), new Recorder(), cts.Token));
        Assert.Equal(3, cleaned);
    }

    [Fact]
    public async Task A_real_batch_converts_every_file_in_its_own_session_with_one_token()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var clip = await Media.ClipAsync(".mp4", seconds: 2);
        var inputs = Enumerable.Range(0, 6).Select(i => { var p = _env.PathIn($"in {i}.mp4"); File.Copy(clip, p); return p; }).ToList();
        var job = FastJobs.Cloud(client);
        var rec = new Recorder();
        await new BatchRunner((r, p, ct) => job.RunAsync(r, p, ct), throttle: 3)
            .RunAsync(inputs.Select(i => (MediaJobRequest)new Mp3Request(i, Path.ChangeExtension(i, ".mp3"), 128)).ToList(), rec, CancellationToken.None);
        Assert.Equal(6, rec.Events.Count(e => e.StartsWith("done")));
        Assert.All(inputs, i => Assert.True(File.Exists(Path.ChangeExtension(i, ".mp3"))));
        Assert.Equal(6, emu.Store.SessionCount);
        Assert.Equal(1, emu.Store.AnonymousTokensIssued);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
    }
}
