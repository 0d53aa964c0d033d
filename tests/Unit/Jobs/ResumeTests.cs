using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>What a run paid for is picked up by the next one (the journal): an edit is never paid twice.</summary>
public class ResumeTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>What the journal holds now, as the next run would find it.</summary>
    private IReadOnlyList<JournalEntry> Pending => new PaidWorkJournal(_env.ConfigDirectory).List();

    private CloudJob Job(NemoApiClient client) => new(client, FastJobs.Schedule)
    {
        StateRetryDelays = new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) },
        Recovery = FastJobs.Recovery,
        Journal = new PaidWorkJournal(_env.ConfigDirectory),
    };

    /// <summary>
    /// Dies (as a killed process does: no cleanup, the render left running) at the n-th report of a stage. Rendering is
    /// reported once before the render is submitted and again by the poller once the service has it.
    /// </summary>
    private sealed class DiesAt(JobStage stage, int occurrence = 1) : IProgress<JobProgress>
    {
        private int _seen;
        public void Report(JobProgress value)
        {
            if (value.Stage == stage && ++_seen == occurrence) throw new SimulatedKill();
        }
    }

    private static DiesAt WhileRendering => new(JobStage.Rendering, 2);

    private sealed class SimulatedKill : Exception;

    [Fact]
    public async Task A_run_that_died_while_the_service_rendered_is_picked_up_by_polling_that_render()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(2));
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 3);
        var request = new Mp3Request(source, _env.PathIn("talk.mp3"), 192);
        await Assert.ThrowsAsync<SimulatedKill>(() => Job(client).RunAsync(request, WhileRendering));
        Assert.False(File.Exists(request.OutputPath));
        var entry = Assert.Single(Pending);
        Assert.True(entry.Edited);
        Assert.NotNull(entry.RenderId);
        Assert.Equal("Rendering", entry.Stage);

        var result = await Job(client).RunAsync(request);

        Assert.Equal(1, emu.Store.AgentMessages); // one paid edit for the file, over both runs
        Assert.Equal(1, emu.Store.RenderCount); // the first run's render, polled
        Assert.Equal(entry.RenderId, result.RenderId);
        Assert.Equal(192, result.BitrateKbps);
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
        Assert.Contains(result.Notes, n => n.Contains("resumed: no new edit"));
        Assert.Empty(Pending); // delivered: forgotten
    }

    [Theory]
    [InlineData(JobStage.Rendering, 0)]   // killed after the edit, before the render was asked for: rendered now (free)
    [InlineData(JobStage.Downloading, 1)] // killed during the download: the finished render downloaded again
    public async Task A_run_killed_after_the_edit_or_during_the_download_is_finished_with_no_new_edit(JobStage killedAt, int rendersWhenKilled)
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 3);
        var request = new Mp3Request(source, _env.PathIn("talk.mp3"), 160);
        await Assert.ThrowsAsync<SimulatedKill>(() => Job(client).RunAsync(request, new DiesAt(killedAt)));
        Assert.Equal(rendersWhenKilled, emu.Store.RenderCount);

        var result = await Job(client).RunAsync(request);

        Assert.Equal(1, emu.Store.AgentMessages);
        Assert.Equal(1, emu.Store.RenderCount); // one render in all
        Assert.Equal(160, result.BitrateKbps);
        Assert.Single(result.Notes);
        Assert.Equal(new[] { "talk.mp3" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName)); // no temporary file of the killed run
        Assert.Empty(Pending);
    }

    [Fact]
    public async Task A_render_stopped_by_Ctrl_C_is_rendered_again_from_the_paid_edit_for_free()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(30));
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 3);
        var request = new Mp3Request(source, _env.PathIn("talk.mp3"), 128);
        using (var cts = new CancellationTokenSource())
        {
            var armed = 0; // once: every poll reports Rendering, and re-arming would push the stop back for ever
            var stop = new SyncProgress<JobProgress>(p => { if (p.Stage == JobStage.Rendering && Interlocked.Exchange(ref armed, 1) == 0) cts.CancelAfter(300); });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Job(client).RunAsync(request, stop, cts.Token));
        }
        Assert.Equal(1, emu.Store.RenderCancels); // Ctrl+C still cancels the render on the server
        Assert.True(Assert.Single(Pending).Edited);

        emu.Options.MinRenderTime = TimeSpan.Zero;
        var result = await Job(client).RunAsync(request);

        Assert.Equal(1, emu.Store.AgentMessages);
        Assert.Equal(2, emu.Store.RenderCount); // the cancelled one, and one more from the same session (free)
        Assert.Equal(128, result.BitrateKbps);
        Assert.Contains(result.Notes, n => n.Contains("rendered: no new edit"));
        Assert.Empty(Pending);
    }

    [Fact]
    public async Task Work_the_service_no_longer_knows_starts_afresh_without_failing_the_file()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(2));
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 3);
        var request = new Mp3Request(source, _env.PathIn("talk.mp3"), 192);
        await Assert.ThrowsAsync<SimulatedKill>(() => Job(client).RunAsync(request, new DiesAt(JobStage.Rendering))); // edited, not yet rendering
        var entry = Assert.Single(Pending);
        Assert.Equal("Edited", entry.Stage);
        Assert.True(emu.Store.DropSession(entry.SessionId!));

        var result = await Job(client).RunAsync(request);

        Assert.Equal(2, emu.Store.AgentMessages); // nothing left to pick up: a new session and its edit
        Assert.NotEqual(entry.SessionId, result.SessionId);
        Assert.Empty(result.Notes);
        Assert.Empty(Pending);
    }

    [Fact]
    public async Task An_entry_is_the_source_as_it_is_the_request_and_the_account()
    {
        await using var emu = await Emulators.StartAsync(o => { o.MinRenderTime = TimeSpan.FromSeconds(2); o.AnonymousCredits = 1000; });
        using var client = _env.Client(emu);
        var source = Path.Combine(_env.WorkDirectory, "talk.mkv");
        File.Copy(await Media.ClipAsync(".mkv", seconds: 3), source);
        await Assert.ThrowsAsync<SimulatedKill>(() => Job(client).RunAsync(new Mp3Request(source, _env.PathIn("talk.mp3"), 192), WhileRendering));
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_env.ConfigDirectory, "journal")));
        var text = File.ReadAllText(file);
        Assert.DoesNotContain(client.Tokens.Current!.Value, text); // the fingerprint, never the token
        Assert.Contains(client.Tokens.Current!.Fingerprint, text);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        // Another bitrate is another request, and a changed source another file: both start afresh.
        await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("talk-128.mp3"), 128));
        Assert.Equal(2, emu.Store.AgentMessages);
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(1));
        await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("talk.mp3"), 192));
        Assert.Equal(3, emu.Store.AgentMessages);
    }
}
