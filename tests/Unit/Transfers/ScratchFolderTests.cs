using NemoVideo.Transfers;

namespace NemoVideo.Tests.Transfers;

/// <summary>A job's temp folder: gone when the job ends, and a killed run's removed by the next run, never a live run's.</summary>
public class ScratchFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "nemo-scratch-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void Is_removed_with_what_it_holds_when_the_job_ends()
    {
        string path;
        using (var scratch = ScratchFolder.Create(_root))
        {
            path = scratch.Path;
            File.WriteAllText(scratch.File("audio.m4a"), "x");
            Assert.True(File.Exists(Path.Combine(path, "audio.m4a")));
        }
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void A_killed_runs_folder_is_removed_by_the_next_run_and_a_live_runs_is_left_alone()
    {
        using var live = ScratchFolder.Create(_root);
        File.WriteAllText(live.File("audio.m4a"), "live");
        // A run that was killed: its folder and lock file are there, and no process holds the lock.
        var dead = Directory.CreateDirectory(Path.Combine(_root, "work-deadbeef0000")).FullName;
        File.WriteAllText(Path.Combine(dead, ".nemo-lock"), "");
        File.WriteAllText(Path.Combine(dead, "webinar.m4a"), "left behind");

        using var next = ScratchFolder.Create(_root);

        Assert.False(Directory.Exists(dead));
        Assert.True(File.Exists(live.File("audio.m4a")));
        Assert.Equal(0, ScratchFolder.RemoveAbandoned(_root)); // both live ones are held
    }

    [Fact]
    public void A_folder_made_this_moment_without_its_lock_yet_is_not_taken_for_abandoned()
    {
        var young = Directory.CreateDirectory(Path.Combine(_root, "work-young0000000")).FullName;
        Assert.Equal(0, ScratchFolder.RemoveAbandoned(_root));
        Assert.True(Directory.Exists(young));
    }
}
