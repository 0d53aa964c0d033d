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

/// <summary>One process per output, and nothing left of a dead run beside it.</summary>
public class OutputClaimTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public void A_claimed_output_is_refused_naming_the_process_that_has_it_and_free_again_once_released()
    {
        var target = _env.PathIn("talk.mp3");
        using (var first = NemoVideo.Transfers.OutputClaim.Take(target))
        {
            var refused = Assert.Throws<NemoVideo.Transfers.OutputClaimedException>(() => NemoVideo.Transfers.OutputClaim.Take(target));
            Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", refused.Message);
            Assert.Contains("talk.mp3", refused.Message);
        }
        using (NemoVideo.Transfers.OutputClaim.Take(target)) { }
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory, "*", SearchOption.AllDirectories)); // released: nothing beside the output
    }

    [Fact]
    public void A_dead_runs_claim_file_and_temporary_files_are_taken_over_and_removed()
    {
        var target = _env.PathIn("talk.mp3");
        // What a killed run leaves: its claim file (the lock died with it), the owner note and the temporary files.
        File.WriteAllText(_env.PathIn(".talk.mp3.nemo-claim"), "");
        File.WriteAllText(_env.PathIn(".talk.mp3.nemo-claim.owner"), "process 1 on elsewhere, since 2026-01-01 02:00");
        File.WriteAllText(_env.PathIn(".talk.mp3.0123abcd.partial"), "half a file");
        File.WriteAllText(_env.PathIn("other.mp3"), "another output, not ours");
        File.WriteAllText(_env.PathIn(".other.mp3.0123abcd.partial"), "another output's temporary file");
        using (NemoVideo.Transfers.OutputClaim.Take(target))
            Assert.False(File.Exists(_env.PathIn(".talk.mp3.0123abcd.partial")));
        Assert.Equal(new[] { ".other.mp3.0123abcd.partial", "other.mp3" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_dead_write_in_the_config_folder_is_removed_by_the_next_run_that_touches_it()
    {
        Directory.CreateDirectory(Path.Combine(_env.ConfigDirectory, "journal"));
        var tokens = Path.Combine(_env.ConfigDirectory, ".powershell-tokens.json.0123abcd.partial");
        var journal = Path.Combine(_env.ConfigDirectory, "journal", ".0123.json.0123abcd.partial");
        var fresh = Path.Combine(_env.ConfigDirectory, "journal", ".4567.json.4567abcd.partial"); // a write under way now
        foreach (var f in new[] { tokens, journal, fresh }) File.WriteAllText(f, "{ half");
        File.SetLastWriteTimeUtc(journal, DateTime.UtcNow.AddHours(-1));

        using (await NemoVideo.Auth.PrivateFile.LockAsync(Path.Combine(_env.ConfigDirectory, "powershell-tokens.json.lock"), TimeSpan.FromSeconds(5), default)) { }
        new PaidWorkJournal(_env.ConfigDirectory).Open(new Mp3Request(await Media.ClipAsync(".mkv", 2), _env.PathIn("a.mp3"), 128), new FileInfo(await Media.ClipAsync(".mkv", 2)), "sha256:x", new Uri("http://127.0.0.1/"));

        Assert.False(File.Exists(tokens)); // every write of the cache is under its lock: this one's writer died
        Assert.False(File.Exists(journal));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public async Task Two_jobs_on_one_output_pay_one_edit_the_second_is_left_to_the_first()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(1));
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 2);
        var request = new Mp3Request(source, _env.PathIn("talk.mp3"), 192);
        var first = FastJobs.Cloud(client).RunAsync(request);
        await WaitUntil(() => File.Exists(_env.PathIn(".talk.mp3.nemo-claim")));
        await Assert.ThrowsAsync<NemoVideo.Transfers.OutputClaimedException>(() => FastJobs.Cloud(client).RunAsync(request));
        Assert.Equal(192, (await first).BitrateKbps);
        Assert.Equal(1, emu.Store.AgentMessages);
        Assert.Equal(new[] { "talk.mp3" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++) await Task.Delay(10);
        Assert.True(condition());
    }
}
