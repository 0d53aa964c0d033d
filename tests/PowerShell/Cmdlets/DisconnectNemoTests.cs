// Disconnect-Nemo's entry point; runspaces that disconnect are also in BuildingBlockTests.
using System.Text.Json;

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

    /// <summary>Whether the module's token cache holds a token for this emulator.</summary>
    private static bool Cached(Stage stage)
    {
        var file = Path.Combine(ModuleFixture.ConfigDirectory, "powershell-tokens.json");
        if (!File.Exists(file)) return false;
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        return doc.RootElement.GetProperty("entries").EnumerateObject().Any(e => e.Name.Equals(stage.BaseUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ClearCache_with_no_one_to_ask_keeps_the_anonymous_token_and_the_next_conversion_works()
    {
        await using var stage = await Stage.StartAsync(o => o.Documented = true); // one anonymous token per client a week, as the service
        await stage.ClipsAsync(1);
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };
        shell.Run("Connect-Nemo -BaseUri $uri", vars);
        Assert.True(Cached(stage));

        shell.Run("Disconnect-Nemo -ClearCache -Confirm:$false");
        Assert.Empty(shell.Errors);
        Assert.Contains(shell.Warnings, w => w.Message.Contains("one free anonymous token per client a week") && w.Message.Contains("-Force"));
        Assert.True(Cached(stage)); // kept: the service would not give another

        shell.Run("Connect-Nemo -BaseUri $uri; Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3", vars);
        Assert.Empty(shell.Errors);
        Assert.Single(stage.Files("*.mp3"));
        Assert.Equal(1, stage.Emulator.Store.AnonymousTokensIssued);
    }

    [Fact]
    public async Task ClearCache_asks_first_saying_why_and_deletes_only_when_told_yes_or_with_Force()
    {
        await using var stage = await Stage.StartAsync();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri };
        var no = new AnsweringHost(1); // ShouldContinue: 0 Yes, 1 No
        using (var shell = new Shell(host: no))
        {
            shell.Run("Connect-Nemo -BaseUri $uri", vars);
            shell.Run("Disconnect-Nemo -ClearCache");
            Assert.Contains("one free anonymous token per client a week", Assert.Single(no.Questions));
            Assert.True(Cached(stage));
            Assert.Empty(shell.Errors);
        }
        var yes = new AnsweringHost(0);
        using (var shell = new Shell(host: yes))
        {
            shell.Run("Connect-Nemo -BaseUri $uri", vars);
            shell.Run("Disconnect-Nemo -ClearCache");
            Assert.Single(yes.Questions);
            Assert.False(Cached(stage));
            Assert.Empty(shell.Run("Get-NemoSession")); // disconnected too
        }
        var notAsked = new AnsweringHost();
        using (var shell = new Shell(host: notAsked))
        {
            shell.Run("Connect-Nemo -BaseUri $uri", vars);
            Assert.True(Cached(stage));
            shell.Run("Disconnect-Nemo -ClearCache -WhatIf");
            Assert.True(Cached(stage));
            shell.Run("Disconnect-Nemo -ClearCache -Force");
            Assert.Empty(notAsked.Questions);
            Assert.False(Cached(stage));
            Assert.Empty(shell.Errors);
        }
    }

    [Fact]
    public async Task ClearCache_when_not_connected_clears_the_cache_of_NEMO_API_URL()
    {
        await using var stage = await Stage.StartAsync();
        using (var first = new Shell())
        {
            first.Run("Connect-Nemo -BaseUri $uri; Disconnect-Nemo", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
        }
        Assert.True(Cached(stage));
        using var shell = new Shell();
        try
        {
            shell.Run("Disconnect-Nemo"); // this runspace: not connected
            shell.Run("$env:NEMO_API_URL = $uri; Disconnect-Nemo -ClearCache -Force -Verbose", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
            Assert.Empty(shell.Errors);
            Assert.False(Cached(stage));
            Assert.Contains(shell.Verbose, v => v.Message.StartsWith("Deleted the cached"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("NEMO_API_URL", null);
        }
    }
}
