namespace NemoVideo.PowerShell.Tests;

public class SmokeTests
{
    [Fact]
    public async Task The_main_job_runs_in_PowerShell_and_returns_FileInfo_results()
    {
        await using var stage = await Stage.StartAsync();
        var clips = await stage.ClipsAsync(2);
        using var shell = new Shell();
        var output = shell.Run("""
            Connect-Nemo -BaseUri $uri | Out-Null
            [IO.DirectoryInfo]::new($dir).GetFiles('*.mkv') | ConvertTo-NemoMp3 -Bitrate 320
            """, new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder });
        Assert.Empty(shell.Errors);
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.IsType<FileInfo>(o.BaseObject));
        Assert.All(output, o => Assert.Equal(320, o.Properties["Bitrate"].Value));
    }
}
