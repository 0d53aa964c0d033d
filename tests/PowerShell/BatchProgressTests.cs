using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>A night's batch (issue 11, item 14): 200 files at -ThrottleLimit 16 through the cmdlet, as the progress display sees it.</summary>
public class BatchProgressTests(Xunit.Abstractions.ITestOutputHelper log)
{
    [Fact]
    public async Task Two_hundred_files_at_throttle_16_show_one_parent_bar_and_at_most_16_file_bars_at_any_moment()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(200, seconds: 1); // copies of one clip: the emulator probes and renders its bytes once
        using var shell = new Shell();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ThrottleLimit 16",
            new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder });

        Assert.Empty(shell.Errors);
        Assert.Equal(200, output.Count);
        var parent = Assert.Single(shell.Progress.Where(p => p.ParentActivityId < 0).Select(p => p.ActivityId).Distinct());
        Assert.DoesNotContain(shell.Progress, p => p.ParentActivityId >= 0 && p.ParentActivityId != parent); // no bar under a file's bar

        // Replay the records as a host draws them: a file's bar appears with its first record and goes with its Completed one.
        var open = new HashSet<int>();
        var most = 0;
        foreach (var record in shell.Progress.Where(p => p.ParentActivityId == parent))
        {
            if (record.RecordType == ProgressRecordType.Completed) open.Remove(record.ActivityId);
            else open.Add(record.ActivityId);
            most = Math.Max(most, open.Count);
        }
        log.WriteLine($"200 files in {watch.Elapsed.TotalSeconds:0.0} s; {shell.Progress.Count} progress records; at most {most} file bars at once");
        Assert.True(most <= 16, $"{most} file bars at once with -ThrottleLimit 16");
        Assert.True(most > 1, "the files did not run side by side");
        Assert.Empty(open); // none left behind: no report came after its file's end
        Assert.Equal(200, shell.Progress.Where(p => p.ParentActivityId == parent).Select(p => p.ActivityId).Distinct().Count());
        var last = shell.Progress[^1];
        Assert.Equal((parent, ProgressRecordType.Completed), (last.ActivityId, last.RecordType));
    }
}
