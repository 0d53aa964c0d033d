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

    private static string[] Complete(Shell shell, string line) =>
        shell.Run("(TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText", new Dictionary<string, object?> { ["line"] = line })
            .Where(o => o != null).Select(o => o.ToString()).ToArray();

    [Fact]
    public void Sizes_bitrates_loudness_and_resolutions_complete_on_tab_in_a_sensible_order()
    {
        using var shell = new Shell();
        Assert.Equal(new[] { "240p", "360p", "480p", "540p", "720p", "1080p", "1440p", "2160p" }, Complete(shell, "Compress-NemoVideo x.mp4 -VideoBitrate 8M -Resolution "));
        Assert.Equal(new[] { "1080p", "1440p" }, Complete(shell, "Compress-NemoVideo x.mp4 -VideoBitrate 8M -Resolution 1"));
        Assert.Equal(new[] { "8MB", "10MB", "25MB", "50MB", "100MB", "500MB", "1GB" }, Complete(shell, "Compress-NemoVideo x.mp4 -TargetSize "));
        Assert.Equal(new[] { "1M", "2.5M", "4M", "5M", "8M", "12M", "20M" }, Complete(shell, "Compress-NemoVideo x.mp4 -VideoBitrate "));
        Assert.Equal(new[] { "-14", "-16", "-19", "-23", "-24" }, Complete(shell, "ConvertTo-NemoMp3 x.mkv -Loudness "));
        Assert.Empty(shell.Errors);
    }

    [Fact]
    public async Task AudioLanguage_completes_the_named_files_track_languages_first_then_common_codes()
    {
        var source = await NemoVideo.Tests.Media.ClipAsync(".mkv", seconds: 1, audioTracks: 2);
        var clip = Path.Combine(Path.GetTempPath(), $"nemo-languages-{Guid.NewGuid():N}.mkv");
        using (var ffmpeg = System.Diagnostics.Process.Start("ffmpeg", new[] { "-v", "error", "-i", source, "-map", "0", "-c", "copy",
                   "-metadata:s:a:0", "language=jpn", "-metadata:s:a:1", "language=ita", clip })!)
        {
            await ffmpeg.WaitForExitAsync();
            Assert.Equal(0, ffmpeg.ExitCode);
        }
        try
        {
            using var shell = new Shell();
            var common = Complete(shell, "ConvertTo-NemoMp3 -AudioLanguage ");
            Assert.Equal(new[] { "eng", "ger", "deu", "fra", "fre", "spa", "ita", "por", "nld", "jpn", "zho", "chi", "kor", "rus" }, common);
            Assert.Equal(new[] { "fra", "fre" }, Complete(shell, "ConvertTo-NemoMp3 -AudioLanguage f"));
            var languages = new[] { "jpn", "ita" }; // the tracks' own tags, in track order, before the common codes
            var fromFile = Complete(shell, $"ConvertTo-NemoMp3 -LiteralPath '{clip}' -AudioLanguage ");
            Assert.Equal(languages, fromFile.Take(languages.Length));
            Assert.Equal(languages.Concat(common.Except(languages)), fromFile);
            Assert.Empty(shell.Errors);
        }
        finally { File.Delete(clip); }
    }

    [Fact]
    public async Task Render_ids_of_the_session_complete_on_tab_for_Get_and_Stop_NemoRender()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["clip"] = clip, ["out"] = Path.Combine(stage.Folder, "export.mp3") };
        var export = shell.One("Connect-Nemo -BaseUri $uri; Get-NemoSession | Send-NemoVideo -LiteralPath $clip | Out-Null; Send-NemoMessage 'Extract the audio as MP3 at 128 kbps' | Out-Null; Invoke-NemoExport -Format mp3 -OutFile $out", vars);
        var id = export.Properties["RenderId"].Value.ToString()!;
        Assert.Equal(new[] { id }, Complete(shell, "Get-NemoRender -Id "));
        Assert.Equal(new[] { id }, Complete(shell, "Stop-NemoRender " + id[..3]));
        // Stopping a finished render cancels nothing, and says so.
        shell.Run("Stop-NemoRender -Id $id -Confirm:$false", new Dictionary<string, object?> { ["id"] = id });
        Assert.Contains(shell.Warnings, w => w.Message.Contains($"Render {id} had already completed: nothing was cancelled"));
        Assert.Empty(shell.Errors);
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
