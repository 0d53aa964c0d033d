// Connect-Nemo's entry point; its scenarios live in BuildingBlockTests and tests/Pester/Connection.Tests.ps1.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class ConnectNemoTests
{
    [Fact]
    public async Task PassThru_returns_the_new_session_with_a_free_anonymous_token()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var session = shell.One("Connect-Nemo -BaseUri $uri -PassThru", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
        Assert.False(string.IsNullOrEmpty(session.Properties["SessionId"].Value?.ToString()));
        Assert.Equal(1, stage.Requests("/api/tasks/me/with-session/"));
        Assert.Empty(shell.Errors);
    }
}
