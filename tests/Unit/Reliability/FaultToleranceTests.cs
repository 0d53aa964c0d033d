using System.Collections.Concurrent;
using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Reliability;

/// <summary>Faults from the emulator's fault plan, each survived end to end through the core job.</summary>
public class FaultToleranceTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    internal static CloudJob Job(NemoApiClient client) => FastJobs.Cloud(client);

    private async Task<JobResult> ConvertAsync(EmulatorServer emu, NemoApiClient? client = null, string name = "out.mp3", IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        var own = client is null;
        client ??= _env.Client(emu);
        try
        {
            var result = await Job(client).RunAsync(new Mp3Request(await Media.ClipAsync(".mp4", seconds: 3), _env.PathIn(name), 128), progress, ct);
            Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
            return result;
        }
        finally { if (own) client.Dispose(); }
    }

    [Fact]
    public async Task Rate_limits_with_and_without_Retry_After_are_waited_out()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /api/upload-video/", Status = 429, RetryAfter = 1 },
                       new FaultRule { Route = "POST /api/upload-video/", Status = 429 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await ConvertAsync(emu);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), "the Retry-After second was honoured");
        Assert.Equal(2, emu.Faults.Fired);
    }

    [Fact]
    public async Task Bursts_of_500_502_503_504_on_every_step_are_retried()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(
            new FaultRule { Route = "POST /api/tasks/", Status = 500, Times = 2 },
            new FaultRule { Route = "POST /api/upload-video/", Status = 502, Html = true, Times = 2 },
            new FaultRule { Route = "POST /run_sse", Status = 503 },
            new FaultRule { Route = "GET /api/state/", Status = 504 },
            new FaultRule { Route = "POST /api/render/proxy/lambda", Status = 503, Times = 2 },
            new FaultRule { Route = "GET /api/render/proxy/lambda/", Status = 502, Times = 3 },
            new FaultRule { Route = "GET /cdn/", Status = 503 });
        await ConvertAsync(emu);
        Assert.Equal(12, emu.Faults.Fired);
    }

    [Fact]
    public async Task A_connection_reset_in_the_middle_of_the_upload_is_retried()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /api/upload-video/", DropRequestAfterBytes = 20_000 });
        await ConvertAsync(emu);
        Assert.Equal(1, emu.Faults.Fired);
        Assert.Equal(2, emu.Store.RequestLog.Count(r => r.Path.StartsWith("/api/upload-video/")));
    }

    [Fact]
    public async Task A_reset_of_the_agent_stream_before_the_edit_is_not_answered_by_sending_the_message_again()
    {
        await using var emu = await Emulators.StartAsync(o => o.AgentThinkTime = TimeSpan.FromMilliseconds(400));
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", DropResponseAfterBytes = 40 }); // during the heartbeats
        // The emulator drops the work with the connection, so the state never changes: the job waits on the
        // skill's schedule (shortened here), then fails; the message is never sent twice (it would be charged twice).
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => ConvertAsync(emu));
        Assert.Equal(NemoErrorKind.AgentError, ex.Kind);
        Assert.Contains("not sent again", ex.Message);
        Assert.Equal(1, emu.Faults.Fired);
        Assert.Equal(1, emu.Store.AgentMessages);
        Assert.True(emu.Store.RequestLog.Count(r => r.Path.StartsWith("/api/state/")) >= 3, "the state was read on the recovery schedule");
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task A_reset_of_the_agent_stream_after_the_edit_does_not_ask_again()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", DropResponseAfterBytes = 420 }); // after the tool call
        await ConvertAsync(emu);
        Assert.Equal(1, emu.Faults.Fired);
        Assert.Equal(1, emu.Store.AgentMessages); // asking twice would cost the credits twice
    }

    [Fact]
    public async Task A_download_cut_short_or_reset_is_retried()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DropResponseAfterBytes = 5_000, Times = 2 });
        var result = await ConvertAsync(emu);
        Assert.Equal(2, emu.Faults.Fired);
        Assert.InRange((await Media.ProbeAsync(result.Output.FullName)).Duration, 2.8, 3.2);
    }

    [Fact]
    public async Task A_token_that_expires_in_the_middle_of_a_batch_is_renewed_once_and_the_batch_goes_on()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var requests = await Requests(4);
        var observer = new Recorder { OnCompleted = i => { if (i == 0) emu.Store.ExpireAllTokens(); } };
        await new BatchRunner(Job(client).RunAsync, throttle: 1).RunAsync(requests, observer, CancellationToken.None);
        Assert.Equal(4, observer.Done.Count);
        Assert.Equal(2, emu.Store.AnonymousTokensIssued);
    }

    [Fact]
    public async Task Running_out_of_credits_stops_new_files_and_says_so_once()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 100); // two edits of 50
        using var client = _env.Client(emu);
        var observer = new Recorder();
        await new BatchRunner(Job(client).RunAsync, throttle: 1).RunAsync(await Requests(6), observer, CancellationToken.None);
        Assert.Equal(2, observer.Done.Count);
        Assert.Empty(observer.Failures);
        Assert.Equal(NemoErrorKind.InsufficientCredits, observer.StopCause!.Kind);
        Assert.Contains("?bind=anon_", observer.StopCause.Message);
        Assert.Equal(1, observer.StoppedCalls);
        Assert.Equal(new[] { 2, 3, 4, 5 }, observer.Skipped);
        Assert.Equal(3, emu.Store.SessionCount); // the files not started never touched the service
    }

    [Fact]
    public async Task An_export_refused_with_402_stops_new_files_and_says_why_once()
    {
        await using var emu = await Emulators.StartAsync(o => { o.ExportBlocked = true; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);
        var observer = new Recorder();
        await new BatchRunner(Job(client).RunAsync, throttle: 1).RunAsync(await Requests(4), observer, CancellationToken.None);
        Assert.Empty(observer.Done);
        Assert.Empty(observer.Failures);
        var refused = observer.StopCause!;
        Assert.Equal(NemoErrorKind.PlanRequired, refused.Kind);
        Assert.Contains("Settings, API Tokens", refused.Advice);
        Assert.Contains("NEMO_TOKEN", refused.Advice);
        Assert.Equal(1, observer.StoppedCalls);
        Assert.Equal(new[] { 0, 1, 2, 3 }, observer.Skipped);
        Assert.Equal(1, emu.Store.AgentMessages); // each file not started would have paid for an edit it could not export
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory, "*.mp3"));
    }

    [Fact]
    public async Task An_agent_that_only_sends_heartbeats_for_a_long_time_is_waited_for()
    {
        await using var emu = await Emulators.StartAsync(o => { o.AgentThinkTime = TimeSpan.FromSeconds(3); o.HeartbeatInterval = TimeSpan.FromMilliseconds(100); });
        var working = 0;
        await ConvertAsync(emu, progress: new SyncProgress<JobProgress>(p => { if (p.Status.StartsWith("Agent still working")) working++; }));
        Assert.True(working >= 20, $"heartbeats shown as still working: {working}");
    }

    [Fact]
    public async Task Malformed_and_unknown_events_are_skipped()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", SseInject = new() { "{not json", "{\"type\":\"mystery\"}", "[1,2,3]", "" } });
        var result = await ConvertAsync(emu);
        Assert.Equal(1, emu.Faults.Fired); // the junk was really sent
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
    }

    [Fact]
    public async Task An_error_event_is_an_agent_error_that_says_what_the_agent_said()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", SseInject = new() { "{\"error\":\"model overloaded\"}" }, SseEndAfterInject = true });
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => ConvertAsync(emu));
        Assert.Equal(NemoErrorKind.AgentError, ex.Kind);
        Assert.Equal(1, emu.Faults.Fired);
        Assert.Contains("model overloaded", ex.Message);
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task A_stream_that_ends_with_no_text_is_reported_from_the_state()
    {
        await using var emu = await Emulators.StartAsync(o => o.SilentReplyRate = 1);
        var result = await ConvertAsync(emu);
        Assert.Contains("Timeline (1 track): Audio:", result.AgentSummary);
    }

    [Theory]
    [InlineData(JobStage.Uploading)]
    [InlineData(JobStage.AgentWorking)]
    [InlineData(JobStage.Rendering)]
    [InlineData(JobStage.Downloading)]
    public async Task Cancelling_at_any_stage_leaves_no_file_and_cancels_a_started_render(JobStage stage)
    {
        await using var emu = await Emulators.StartAsync(o => { o.MinRenderTime = TimeSpan.FromSeconds(1); o.AgentThinkTime = TimeSpan.FromSeconds(1); });
        if (stage == JobStage.Downloading) emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DelayMs = 3000 });
        using var cts = new CancellationTokenSource();
        // For the render, cancel once it exists on the server (the poller's first report), not before it is submitted.
        var progress = new SyncProgress<JobProgress>(p => { if (p.Stage == stage && (stage != JobStage.Rendering || p.Percent > 0)) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ConvertAsync(emu, progress: progress, ct: cts.Token));
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
        if (stage == JobStage.Rendering) Assert.Equal(1, emu.Store.RenderCancels);
    }

    private async Task<List<MediaJobRequest>> Requests(int n)
    {
        var clip = await Media.ClipAsync(".mp4", seconds: 2);
        return Enumerable.Range(0, n).Select(i =>
        {
            var input = _env.PathIn($"in{i}.mp4");
            File.Copy(clip, input, overwrite: true);
            return (MediaJobRequest)new Mp3Request(input, Path.ChangeExtension(input, ".mp3"), 128);
        }).ToList();
    }

    internal sealed class Recorder : IBatchObserver
    {
        public ConcurrentBag<int> Done { get; } = new();
        public ConcurrentBag<(int Index, Exception Error)> Failures { get; } = new();
        public List<int> Skipped { get; } = new();
        public int StoppedCalls;
        public NemoApiException? StopCause;
        public Action<int>? OnCompleted { get; init; }
        public void Started(int index) { }
        public void Progress(int index, JobProgress progress) { }
        public void Completed(int index, JobResult result) { Done.Add(index); OnCompleted?.Invoke(index); }
        public void Failed(int index, Exception error) => Failures.Add((index, error));
        public void Stopped(IReadOnlyList<int> indexes, NemoApiException cause) { Interlocked.Increment(ref StoppedCalls); StopCause = cause; lock (Skipped) Skipped.AddRange(indexes); }
    }
}

public class StallTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Theory]
    [InlineData("POST /api/upload-video/", true)]
    [InlineData("GET /cdn/renders/", false)]
    public async Task A_transfer_that_stops_moving_is_cut_after_the_idle_time_and_retried(string route, bool request)
    {
        await using var emu = await Emulators.StartAsync();
        var rule = new FaultRule { Route = route, StallMs = 10_000 };
        if (request) rule.DropRequestAfterBytes = 64 * 1024; else rule.DropResponseAfterBytes = 4096;
        emu.Faults.Add(rule);
        var trace = new List<(double At, HttpCallRecord Record)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var client = _env.Client(emu, configure: o => { o.TransferIdleTimeout = TimeSpan.FromSeconds(1); o.Trace = r => { lock (trace) trace.Add((clock.Elapsed.TotalSeconds, r)); }; });
        var clip = request ? await Media.LargeClipAsync() : await Media.ClipAsync(".mp4", seconds: 10); // larger than the socket buffers can swallow
        // The whole file for the upload's stall: its audio alone is too small to stall.
        var result = await FaultToleranceTests.Job(client).RunAsync(new Mp3Request(clip, _env.PathIn("s.mp3"), 128) { SendWholeFile = request });
        // Timed from the last call before the transfer to the retry, not over the whole job: the upload, the agent and
        // the emulator's ffmpeg render take their own time, which a loaded machine stretches past any fixed budget.
        var log = string.Join("\n", trace.Select(t => $"{t.At:0.0} {t.Record}"));
        var path = route.Substring(route.IndexOf(' ') + 1);
        var retry = trace.FindIndex(t => t.Record.RetryDelay != null && t.Record.Error?.Contains("stalled") == true);
        Assert.True(retry > 0, "the watchdog did not cut the transfer (a stall ended by the server's drop says 'cut short', not 'stalled'):\n" + log);
        var before = trace.Take(retry).Last(t => !t.Record.Path.StartsWith(path, StringComparison.Ordinal) && t.Record.RetryDelay == null);
        Assert.True(trace[retry].At - before.At < 8, $"the transfer was cut {trace[retry].At - before.At:0.0} s after it began: the 10 s stall was waited out instead of cut after 1 s\n" + log);
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
        Assert.Equal(1, emu.Faults.Fired);
    }
}
