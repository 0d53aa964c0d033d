// Get-NemoPendingWork's entry point; paid work left behind and picked up again is in tests/Pester/Resume.Tests.ps1 and tests/Unit/Jobs/ResumeTests.
using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoPendingWorkTests
{
    private static Dictionary<string, object?> Vars(Stage stage) => new() { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };

    /// <summary>The journal is the process's: what other tests left would be piped in too.</summary>
    private static void ForgetOtherTestsWork()
    {
        var journal = Path.Combine(ModuleFixture.ConfigDirectory, "journal");
        if (Directory.Exists(journal)) foreach (var file in Directory.GetFiles(journal)) File.Delete(file);
    }

    [Fact]
    public void Lists_what_was_paid_for_and_not_delivered_without_errors()
    {
        using var shell = new Shell();
        var pending = shell.Run("Get-NemoPendingWork");
        Assert.Empty(shell.Errors);
        Assert.All(pending, p => Assert.NotNull(p.Properties["Source"]));
    }

    /// <summary>A batch stopped while the service renders: every edit paid for, no MP3 (or only the ones that got through).</summary>
    private static async Task StopDuringRenderAsync(Stage stage, Shell shell, string command, int files)
    {
        shell.Run("Connect-Nemo -BaseUri $uri | Out-Null", Vars(stage));
        using var ps = shell.Create("Set-Location -LiteralPath $dir; " + command, Vars(stage));
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (stage.Emulator.Store.RenderCount < files && DateTime.UtcNow < deadline && !running.IsCompleted) await Task.Delay(50);
        Assert.True(stage.Emulator.Store.RenderCount >= files, "the batch never reached its renders");
        ps.Stop();
        try { ps.EndInvoke(running); } catch (PipelineStoppedException) { }
    }

    [Fact]
    public async Task Piped_into_ConvertTo_NemoMp3_it_finishes_each_file_as_first_asked_with_no_new_edit()
    {
        ForgetOtherTestsWork();
        await using var stage = await Stage.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(5));
        await stage.ClipsAsync(3);
        using var shell = new Shell();
        await StopDuringRenderAsync(stage, shell, "Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 128 -Destination .\\podcast3\\", 3);
        var paid = stage.Emulator.Store.AgentMessages;
        Assert.Equal(3, paid);

        var pending = shell.Run("Get-NemoPendingWork");
        Assert.NotEmpty(pending);
        Assert.All(pending, p =>
        {
            Assert.Equal("Mp3", p.Properties["Kind"].Value);
            Assert.Equal(Path.Combine(stage.Folder, "podcast3"), Path.GetDirectoryName((string)p.Properties["Output"].Value));
        });

        var output = shell.Run("Set-Location -LiteralPath $dir; Get-NemoPendingWork | ConvertTo-NemoMp3 -Verbose", Vars(stage));
        Assert.Empty(shell.Errors);
        Assert.Empty(shell.Warnings);
        Assert.Equal(paid, stage.Emulator.Store.AgentMessages); // no new edit
        Assert.Equal(pending.Count, output.Count);
        foreach (var o in output)
        {
            var file = Assert.IsType<FileInfo>(o.BaseObject);
            Assert.Equal(Path.Combine(stage.Folder, "podcast3"), file.DirectoryName);
            Assert.Equal(128, o.Properties["RequestedBitrate"].Value);
            Assert.Equal(128, o.Properties["Bitrate"].Value);
        }
        Assert.Equal(new[] { "clip 1.mp3", "clip 2.mp3", "clip 3.mp3" }, Directory.GetFiles(Path.Combine(stage.Folder, "podcast3")).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFiles(stage.Folder, "*.mp3")); // none beside the sources
        Assert.Empty(shell.Run("Get-NemoPendingWork"));
    }

    [Fact]
    public async Task Each_entry_that_cannot_be_finished_says_why_and_the_others_go_on()
    {
        ForgetOtherTestsWork();
        await using var stage = await Stage.StartAsync(o => o.MinRenderTime = TimeSpan.FromSeconds(5));
        await stage.ClipsAsync(2);
        using var shell = new Shell();
        await StopDuringRenderAsync(stage, shell, "Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 128", 2);
        var paid = stage.Emulator.Store.AgentMessages;

        // An MP3's paid work is not Compress-NemoVideo's to finish.
        shell.Run("Get-NemoPendingWork | Compress-NemoVideo", Vars(stage));
        Assert.NotEmpty(shell.Errors);
        Assert.All(shell.Errors, e =>
        {
            Assert.Equal("Nemo.PendingWorkOtherKind,NemoVideo.PowerShell.Cmdlets.CompressNemoVideoCommand", e.FullyQualifiedErrorId);
            Assert.Contains("paid for by ConvertTo-NemoMp3", e.ToString());
            Assert.Contains("Pipe it into ConvertTo-NemoMp3", e.ErrorDetails.RecommendedAction);
        });
        Assert.Empty(Directory.GetFiles(stage.Folder, "*.mp4"));
        shell.Errors.Clear();

        // A source changed since: that entry is an error; the other is finished, and parameters given here are ignored, said once.
        var pending = shell.Run("Get-NemoPendingWork");
        Assert.Equal(2, pending.Count); // both renders were still running when the batch was stopped
        File.SetLastWriteTimeUtc(Path.Combine(stage.Folder, "clip 1.mkv"), DateTime.UtcNow.AddMinutes(-5));
        var output = shell.Run("Set-Location -LiteralPath $dir; Get-NemoPendingWork | ConvertTo-NemoMp3 -Bitrate 320", Vars(stage));
        var error = Assert.Single(shell.Errors);
        Assert.StartsWith("Nemo.PendingWorkSourceChanged", error.FullyQualifiedErrorId);
        Assert.Contains("clip 1.mkv", error.ToString());
        Assert.Contains(shell.Warnings, w => w.Message.Contains("-Bitrate given here is ignored"));
        var made = Assert.Single(output);
        Assert.Equal("clip 2.mp3", ((FileInfo)made.BaseObject).Name);
        Assert.Equal(128, made.Properties["Bitrate"].Value);
        Assert.Equal(paid, stage.Emulator.Store.AgentMessages);
    }
}
