using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Api;

/// <summary>A render's download: retried when cut short, the API's download when the CDN refuses, nothing left behind on failure, an existing output kept.</summary>
public class RenderDownloadTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static PollSchedule Fast => FastJobs.Schedule;

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
