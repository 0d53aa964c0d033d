// Get-NemoState's entry point; the pipeline is in BuildingBlockTests, the summary's shape in tests/Unit/Api/SessionStateTests.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoStateTests
{
    [Fact]
    public async Task A_new_session_has_an_empty_timeline_that_cannot_be_exported()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var state = shell.One("Connect-Nemo -BaseUri $uri; Get-NemoState", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
        Assert.Equal(false, state.Properties["CanExport"].Value);
    }
}
