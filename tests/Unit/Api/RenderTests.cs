using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Api;

/// <summary>A render submitted, polled and downloaded through the client, end to end against the emulator.</summary>
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
}
