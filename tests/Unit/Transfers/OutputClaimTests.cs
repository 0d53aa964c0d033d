using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Transfers;

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
