using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>Get-Help reads the built MAML; tab completion offers what the cmdlets declare; import is clean.</summary>
public class HelpAndCompletionTests
{
    public static IEnumerable<object[]> Cmdlets() => new[]
    {
        "Compress-NemoVideo", "Connect-Nemo", "ConvertTo-NemoMp3", "Disconnect-Nemo", "Get-NemoCredit", "Get-NemoMediaInfo", "Get-NemoPendingWork",
        "Get-NemoRender", "Get-NemoSession", "Get-NemoState", "Invoke-NemoExport", "Send-NemoMessage", "Send-NemoVideo", "Stop-NemoRender",
    }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Get_Help_reads_the_built_help_synopsis_every_parameter_and_examples(string cmdlet)
    {
        using var shell = new Shell();
        var help = Assert.Single(shell.Run("Get-Help $name -Full", new Dictionary<string, object?> { ["name"] = cmdlet }));
        Assert.False(string.IsNullOrWhiteSpace(help.Properties["Synopsis"].Value?.ToString()));
        Assert.DoesNotContain(cmdlet, help.Properties["Synopsis"].Value!.ToString()!.Trim()); // a sentence, not the generated syntax
        var documented = shell.Run("@((Get-Help $name -Full).parameters.parameter) | ForEach-Object { $_.name }", new Dictionary<string, object?> { ["name"] = cmdlet })
            .Where(o => o != null).Select(o => o.ToString()).ToHashSet();
        var declared = shell.Run("(Get-Command $name).Parameters.Keys", new Dictionary<string, object?> { ["name"] = cmdlet }).Select(o => o.ToString())
            .Where(p => !new[] { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
                                 "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" }.Contains(p));
        Assert.All(declared, p => Assert.Contains(p, documented));
        Assert.NotEmpty(shell.Run("@((Get-Help $name -Examples).examples.example)", new Dictionary<string, object?> { ["name"] = cmdlet }));
        Assert.Empty(shell.Errors);
    }

    private static readonly string[] Common = { "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable" };

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Built_help_matches_Get_Command_syntax_defaults_and_points_online(string cmdlet)
    {
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["name"] = cmdlet };
        // Every syntax block of the help names exactly the parameters of one of the command's parameter sets.
        var helpSets = shell.Run("@((Get-Help $name -Full).syntax.syntaxItem) | ForEach-Object { (@($_.parameter) | ForEach-Object { $_.name }) -join ',' }", vars)
            .Select(o => string.Join(",", o.ToString()!.Split(',', StringSplitOptions.RemoveEmptyEntries).Order())).Order().ToList();
        var commandSets = shell.Run("(Get-Command $name).ParameterSets | ForEach-Object { ($_.Parameters | ForEach-Object { $_.Name }) -join ',' }", vars)
            .Select(o => string.Join(",", o.ToString()!.Split(',').Where(p => !Common.Contains(p)).Order())).Order().ToList();
        Assert.Equal(commandSets, helpSets);
        Assert.DoesNotContain("`1", string.Join("\n", shell.Run("@((Get-Help $name -Full).syntax.syntaxItem.parameter) | ForEach-Object { \"$($_.name) $($_.parameterValue)\" }", vars)));
        // Defaults in help are the cmdlet's own.
        var defaults = shell.Run("""
            $cmd = [Activator]::CreateInstance((Get-Command $name).ImplementingType)
            @((Get-Help $name -Full).parameters.parameter) | Where-Object { $_.defaultValue -ne 'None' } |
                ForEach-Object { '{0}={1}={2}' -f $_.name, $_.defaultValue, $cmd.($_.name) }
            """, vars).Select(o => o.ToString()!.Split('=')).ToList();
        Assert.All(defaults, d => Assert.Equal(d[2], d[1]));
        if (cmdlet == "ConvertTo-NemoMp3") Assert.Contains(defaults, d => d[0] == "Bitrate" && d[1] == "192");
        if (cmdlet is "ConvertTo-NemoMp3" or "Compress-NemoVideo") Assert.Contains(defaults, d => d[0] == "ThrottleLimit" && d[1] == "4");
        var online = shell.Run("@((Get-Help $name -Full).relatedLinks.navigationLink)[0].uri", vars).Single().ToString();
        Assert.StartsWith("https://", online);
        Assert.EndsWith("/docs/" + cmdlet + ".md", online);
        Assert.Empty(shell.Errors);
    }

    [Fact]
    public void About_NemoVideo_explains_engines_tokens_settings_scheduled_tasks_and_several_machines()
    {
        using var shell = new Shell();
        // Prose is wrapped at 80 columns: a phrase may span lines.
        var text = System.Text.RegularExpressions.Regex.Replace(string.Join("\n", shell.Run("Get-Help about_NemoVideo").Select(o => o.ToString())), @"\s+", " ");
        foreach (var must in new[] { "ENGINES", "TOKENS AND CREDITS", "NEMO_CONFIG_DIR", "NEMO_TOKEN", "Register-ScheduledTask", "Start-Transcript",
                                     "Invoke-Command -ComputerName", "-ThrottleLimit", "the order the files finish", "Settings, API Tokens", "no updatable help" })
            Assert.Contains(must, text);
        Assert.Empty(shell.Errors);
    }

    [Fact]
    public void The_MP3_bitrate_and_the_engine_complete_on_tab()
    {
        using var shell = new Shell();
        var bitrates = shell.Run("[System.Management.Automation.CommandCompletion]::CompleteInput('ConvertTo-NemoMp3 -Bitrate 3', 28, $null).CompletionMatches.CompletionText");
        Assert.Equal(new[] { "32", "320" }, bitrates.Select(o => o.ToString()));
        var engines = shell.Run("[System.Management.Automation.CommandCompletion]::CompleteInput('ConvertTo-NemoMp3 -Engine ', 26, $null).CompletionMatches.CompletionText");
        Assert.Equal(new[] { "Cloud", "Local" }, engines.Select(o => o.ToString()));
    }

    [Fact]
    public void The_module_imports_cleanly_and_exports_exactly_its_cmdlets()
    {
        using var shell = new Shell();
        var names = shell.Run("(Get-Module NemoVideo).ExportedCmdlets.Keys").Select(o => o.ToString()).Order();
        Assert.Equal(Cmdlets().Select(c => (string)c[0]).Order(), names);
        Assert.Empty(shell.Errors);
        Assert.Empty(shell.Warnings);
    }
}
