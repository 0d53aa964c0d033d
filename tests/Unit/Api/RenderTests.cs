using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Api;

public class RenderTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static PollSchedule Fast => FastJobs.Schedule;

    [Theory]
    [InlineData(RenderShape.Data)]
    [InlineData(RenderShape.TopLevel)]
    public async Task Submits_polls_and_downloads_in_both_answer_shapes_without_sending_the_token_to_the_CDN(RenderShape shape)
    {
        await using var emu = await Emulators.StartAsync(o => o.RenderShape = shape);
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        Assert.True(state.CanExport);
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        Assert.StartsWith("render_", job.Id);
        var done = await new RenderPoller(client, Fast).WaitAsync(job, TimeSpan.FromMinutes(1));
        Assert.Equal(RenderStatus.Completed, done.Status);
        Assert.NotNull(done.OutputUrl);
        var file = await client.DownloadRenderAsync(done, _env.PathIn("out.mp3"), overwrite: false);
        Assert.Equal("mp3", (await Media.ProbeAsync(file.FullName)).Audio.Codec);
        Assert.Equal(0, emu.Store.CdnRequestsWithAuthorization);
        Assert.Contains(emu.Store.RequestLog, r => r.Path.StartsWith("/cdn/renders/") && r.Status == 200 && !r.HadAuthorization);
    }

    [Fact]
    public async Task Export_without_attribution_headers_or_on_a_blocked_plan_is_402()
    {
        await using var emu = await Emulators.StartAsync(o => o.ExportBlocked = true);
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.SubmitRenderAsync(session.SessionId, state.Draft));
        Assert.Equal(NemoErrorKind.PlanRequired, ex.Kind);
        Assert.Contains("not about credits", ex.Message);
    }

    [Fact]
    public async Task A_duplicate_render_id_is_retried_with_a_new_id()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        emu.Faults.Add(new FaultRule { Route = "POST /api/render/proxy/lambda", Status = 409, Message = "Duplicate render id" });
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        Assert.Equal(RenderStatus.Completed, (await new RenderPoller(client, Fast).WaitAsync(job, TimeSpan.FromMinutes(1))).Status);
    }

    [Fact]
    public async Task A_failed_render_is_an_error_with_the_reason()
    {
        await using var emu = await Emulators.StartAsync(o => o.FfmpegPath = "false");
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => new RenderPoller(client, Fast).WaitAsync(job, TimeSpan.FromMinutes(1)));
        Assert.Equal(NemoErrorKind.RenderFailed, ex.Kind);
        Assert.Contains("ffmpeg failed", ex.Message);
    }

    [Fact]
    public async Task A_render_that_never_finishes_is_cancelled_on_the_server_after_the_timeout()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromMinutes(5));
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => new RenderPoller(client, Fast).WaitAsync(job, TimeSpan.FromSeconds(1)));
        Assert.Equal(NemoErrorKind.Timeout, ex.Kind);
        Assert.Equal(1, emu.Store.RenderCancels);
        Assert.Equal(RenderStatus.Cancelled, (await client.GetRenderAsync(job.Id)).Status);
    }

    [Fact]
    public async Task Cancelling_the_wait_cancels_the_render_on_the_server()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromMinutes(5));
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new RenderPoller(client, Fast).WaitAsync(job, TimeSpan.FromMinutes(1), ct: cts.Token));
        Assert.Equal(1, emu.Store.RenderCancels);
    }

    [Fact]
    public async Task A_download_cut_short_is_retried_and_a_CDN_refusal_falls_back_to_the_API_download()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client, seconds: 4);
        var done = await new RenderPoller(client, Fast).WaitAsync(await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3"), TimeSpan.FromMinutes(1));

        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DropResponseAfterBytes = 10_000 });
        var first = await client.DownloadRenderAsync(done, _env.PathIn("a.mp3"), overwrite: false);
        Assert.Equal(4.0, (await Media.ProbeAsync(first.FullName)).Duration, 0);

        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", Status = 403, Times = -1 });
        var second = await client.DownloadRenderAsync(done, _env.PathIn("b.mp3"), overwrite: false);
        Assert.Equal(first.Length, second.Length);
        Assert.Contains(emu.Store.RequestLog, r => r.Path.EndsWith("/download") && r.HadAuthorization && r.Status == 200);
        Assert.Equal(0, emu.Store.CdnRequestsWithAuthorization);
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory, "*.partial"));
    }

    [Fact]
    public async Task A_failed_or_cancelled_download_leaves_no_file_and_an_existing_output_is_kept()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu, configure: o => o.Retry = TestEnvironment.FastRetry(retries: 1));
        var (session, state) = await Scenario.PreparedAsync(client);
        var done = await new RenderPoller(client, Fast).WaitAsync(await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3"), TimeSpan.FromMinutes(1));
        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DropResponseAfterBytes = 1000, Times = -1 },
                       new FaultRule { Route = "GET /api/render/proxy/", DropResponseAfterBytes = 1000, Times = -1 });
        await Assert.ThrowsAsync<NemoApiException>(() => client.DownloadRenderAsync(done, _env.PathIn("x.mp3"), overwrite: false));
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));

        emu.Faults.Clear();
        File.WriteAllText(_env.PathIn("keep.mp3"), "precious");
        await Assert.ThrowsAsync<OutputExistsException>(() => client.DownloadRenderAsync(done, _env.PathIn("keep.mp3"), overwrite: false));
        Assert.Equal("precious", File.ReadAllText(_env.PathIn("keep.mp3")));
        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DelayMs = 5000 });
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.DownloadRenderAsync(done, _env.PathIn("keep.mp3"), overwrite: true, ct: cts.Token));
        Assert.Equal("precious", File.ReadAllText(_env.PathIn("keep.mp3")));
        Assert.Single(Directory.GetFiles(_env.WorkDirectory));
    }
}
