// Get-NemoPendingWork's entry point; paid work left behind and picked up again is in tests/Pester/Resume.Tests.ps1 and tests/Unit/Jobs/ResumeTests.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoPendingWorkTests
{
    [Fact]
    public void Lists_what_was_paid_for_and_not_delivered_without_errors()
    {
        using var shell = new Shell();
        var pending = shell.Run("Get-NemoPendingWork");
        Assert.Empty(shell.Errors);
        Assert.All(pending, p => Assert.NotNull(p.Properties["Source"]));
    }
}
