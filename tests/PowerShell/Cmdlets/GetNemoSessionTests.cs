// Get-NemoSession's entry point; its scenarios live in BuildingBlockTests and tests/Pester/Connection.Tests.ps1.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoSessionTests
{
    [Fact]
    public async Task Shows_the_connection_and_never_the_token()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var session = shell.One("Connect-Nemo -BaseUri $uri; Get-NemoSession", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
        Assert.Equal(stage.BaseUri, session.Properties["BaseUri"].Value?.ToString());
        Assert.DoesNotContain(stage.CachedToken(), shell.Everything(new[] { session }));
    }
}
