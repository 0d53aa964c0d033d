using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Jobs;

/// <summary>The wait for a render: a timeout or a cancelled wait cancels the render on the server.</summary>
public class RenderPollerTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static PollSchedule Fast => FastJobs.Schedule;

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
}
