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

    [Fact]
    public async Task A_connection_made_from_NEMO_TOKEN_follows_it_when_it_changes_and_charges_the_new_account()
    {
        await using var stage = await Stage.StartAsync();
        stage.Emulator.Store.AddAccount("nmv_usr_first_account_token", "user_first", 1000);
        stage.Emulator.Store.AddAccount("nmv_usr_second_account_token", "user_second", 2000);
        await stage.ClipsAsync(1);
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };
        try
        {
            shell.Run("$env:NEMO_TOKEN = 'nmv_usr_first_account_token'; Connect-Nemo -BaseUri $uri", vars);
            Assert.Equal(1000m, (decimal)shell.One("(Get-NemoCredit).Available").BaseObject);

            shell.Run("$env:NEMO_TOKEN = 'nmv_usr_second_account_token'; Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Verbose", vars);
            Assert.Empty(shell.Errors);
            Assert.Single(stage.Files("*.mp3"));
            var said = Assert.Single(shell.Verbose, v => v.Message.StartsWith("NEMO_TOKEN changed"));
            Assert.Contains("sha256:", said.Message);
            Assert.DoesNotContain(shell.Verbose, v => v.Message.Contains("account_token"));
            Assert.Equal(2000m - stage.Emulator.Options.EditCost, (decimal)shell.One("(Get-NemoCredit).Available").BaseObject); // the edit was charged here

            shell.Run("$env:NEMO_TOKEN = 'nmv_usr_first_account_token'", vars);
            Assert.Equal(1000m, (decimal)shell.One("(Get-NemoCredit).Available").BaseObject); // and not here
            Assert.Empty(shell.Errors);
        }
        finally
        {
            Environment.SetEnvironmentVariable("NEMO_TOKEN", null);
        }
    }
}
