// Get-NemoRender's entry point; a bad id beside a good one is in UserExperienceTests, the pipeline in BuildingBlockTests.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoRenderTests
{
    [Fact]
    public async Task An_unknown_id_is_one_error_naming_it()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        Assert.Empty(shell.Run("Connect-Nemo -BaseUri $uri; Get-NemoRender -Id 'render_nowhere'", new Dictionary<string, object?> { ["uri"] = stage.BaseUri }));
        Assert.Equal("render_nowhere", Assert.Single(shell.Errors).TargetObject);
    }
}
