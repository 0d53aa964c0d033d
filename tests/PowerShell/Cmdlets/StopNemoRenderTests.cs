// Stop-NemoRender's entry point; stopping a real render is in BuildingBlockTests, JobCmdletTests and tests/Pester/BuildingBlocks.Tests.ps1.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class StopNemoRenderTests
{
    [Fact]
    public async Task An_unknown_id_is_one_error_naming_it()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        Assert.Empty(shell.Run("Connect-Nemo -BaseUri $uri; Stop-NemoRender -Id 'render_nowhere' -Confirm:$false", new Dictionary<string, object?> { ["uri"] = stage.BaseUri }));
        Assert.Equal("render_nowhere", Assert.Single(shell.Errors).TargetObject);
    }
}
