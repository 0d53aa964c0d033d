// Disconnect-Nemo's entry point; runspaces that disconnect are also in BuildingBlockTests.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class DisconnectNemoTests
{
    [Fact]
    public async Task After_Disconnect_Nemo_the_runspace_has_no_session()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri };
        shell.Run("Connect-Nemo -BaseUri $uri", vars);
        Assert.Single(shell.Run("Get-NemoSession"));
        shell.Run("Disconnect-Nemo");
        Assert.Empty(shell.Run("Get-NemoSession"));
        Assert.Empty(shell.Errors);
    }
}
