// Compress-NemoVideo's entry point; its scenarios live in JobCmdletTests, TargetSizeCmdletTests, and tests/Pester/Jobs.Tests.ps1.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class CompressNemoVideoTests
{
    [Fact]
    public void A_bitrate_that_is_not_one_is_a_binding_error_and_nothing_runs()
    {
        using var shell = new Shell();
        Assert.Empty(shell.Run("Compress-NemoVideo -LiteralPath nothing.mp4 -VideoBitrate 'fast'"));
        var error = Assert.Single(shell.Errors);
        Assert.IsAssignableFrom<System.Management.Automation.ParameterBindingException>(error.Exception);
        Assert.Contains("VideoBitrate", error.Exception.Message);
    }
}
