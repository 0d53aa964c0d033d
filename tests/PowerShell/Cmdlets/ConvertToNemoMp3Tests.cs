// ConvertTo-NemoMp3's entry point; its scenarios live in JobCmdletTests, PodcastCmdletTests, UserExperienceTests, BatchProgressTests and tests/Pester (Jobs, Podcast, Resume).
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class ConvertToNemoMp3Tests
{
    [Fact]
    public void A_bitrate_MP3_does_not_have_is_a_binding_error_naming_the_nearest()
    {
        using var shell = new Shell();
        Assert.Empty(shell.Run("ConvertTo-NemoMp3 -LiteralPath nothing.mkv -Bitrate 191"));
        var error = Assert.Single(shell.Errors);
        Assert.IsAssignableFrom<System.Management.Automation.ParameterBindingException>(error.Exception);
        Assert.Contains("the nearest is 192", error.Exception.Message);
    }
}
