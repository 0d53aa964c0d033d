using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>The building blocks piped into each other, each runspace's own connection, and what their objects carry.</summary>
public class BuildingBlockTests
{
    [Fact]
    public async Task Every_building_block_pipes_into_the_next()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["clip"] = clip, ["out"] = Path.Combine(stage.Folder, "export.mp3") };
        var connection = shell.One("Connect-Nemo -BaseUri $uri -PassThru", vars);
        Assert.Matches("^[0-9]+$", connection.Properties["SessionId"].Value.ToString());
        Assert.Null(connection.Properties["Client"]); // data, not machinery

        var asset = shell.One("Get-NemoSession | Send-NemoVideo -LiteralPath $clip", vars);
        Assert.Equal("clip 1.mkv", asset.Properties["FileName"].Value);
        var reply = shell.One("Get-NemoSession | Send-NemoMessage 'Extract the audio as MP3 at 128 kbps' -InformationAction Continue", vars);
        Assert.Contains("128", reply.Properties["Text"].Value.ToString());
        Assert.NotEmpty(shell.Information);
        var state = shell.One("Get-NemoState", vars);
        Assert.Equal(true, state.Properties["CanExport"].Value);
        var export = shell.One("Invoke-NemoExport -Format mp3 -OutFile $out", vars);
        Assert.True(File.Exists(vars["out"]!.ToString()));
        Assert.Contains("MP3", export.Properties["Format"].Value.ToString());
        var render = shell.One("$r = Invoke-NemoExport -Format mp3 -OutFile $out -Force; $r | Get-NemoRender", vars);
        Assert.Equal("Completed", render.Properties["Status"].Value.ToString());
        shell.One("Get-NemoRender -Id $r.RenderId | Stop-NemoRender -Confirm:$false -PassThru", vars);
        var credits = shell.One("Get-NemoCredit", vars);
        Assert.True((decimal)credits.Properties["Available"].Value < 10_000);
        Assert.Empty(shell.Errors);
        shell.Run("Disconnect-Nemo", vars);
        Assert.Empty(shell.Run("Get-NemoSession", vars));
    }

    [Fact]
    public async Task Send_NemoMessage_spends_no_credits_under_WhatIf()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri };
        shell.Run("Connect-Nemo -BaseUri $uri | Out-Null; Send-NemoMessage 'Extract the audio as MP3' -WhatIf", vars);
        Assert.Equal(0, stage.Emulator.Store.AgentMessages);
        Assert.Equal(0, stage.Requests("/run_sse"));
    }

    [Fact]
    public async Task Two_runspaces_that_each_connect_keep_their_own_connection_for_every_building_block()
    {
        await using var first = await Stage.StartAsync();
        await using var second = await Stage.StartAsync();
        var clip = (await first.ClipsAsync(1))[0];
        using var a = new Shell();
        using var b = new Shell();
        a.Run("Connect-Nemo -BaseUri $uri | Out-Null", new Dictionary<string, object?> { ["uri"] = first.BaseUri });
        b.Run("Connect-Nemo -BaseUri $uri | Out-Null", new Dictionary<string, object?> { ["uri"] = second.BaseUri }); // the process's latest now
        var before = second.Emulator.Store.RequestLog.Count;

        a.Run("""
            Send-NemoVideo -LiteralPath $clip | Out-Null
            Send-NemoMessage 'Extract the audio as MP3 at 128 kbps' | Out-Null
            Get-NemoState | Out-Null
            Get-NemoCredit | Out-Null
            """, new Dictionary<string, object?> { ["clip"] = clip });

        Assert.Empty(a.Errors);
        Assert.Equal(before, second.Emulator.Store.RequestLog.Count); // nothing went to the other runspace's service
        Assert.Equal(1, first.Requests("/api/upload-video/"));
        Assert.Equal(1, first.Emulator.Store.AgentMessages);
        Assert.Equal(1, first.Requests("/api/state/") - 1); // the agent's own baseline read, and Get-NemoState
        Assert.Equal(1, first.Requests("/api/credits/"));
    }

    [Fact]
    public async Task A_runspace_that_disconnected_never_sees_another_runspaces_connection()
    {
        await using var first = await Stage.StartAsync();
        await using var second = await Stage.StartAsync();
        using var a = new Shell();
        using var b = new Shell();
        a.Run("Connect-Nemo -BaseUri $uri | Out-Null", new Dictionary<string, object?> { ["uri"] = first.BaseUri });
        var bFingerprint = b.One("(Connect-Nemo -BaseUri $uri -PassThru).TokenFingerprint", new Dictionary<string, object?> { ["uri"] = second.BaseUri });
        a.Run("Disconnect-Nemo");

        // No connection at all now: not the other runspace's (the process's latest).
        Assert.Empty(a.Run("Get-NemoSession -Verbose"));
        Assert.Contains(a.Verbose, v => v.Message.Contains("Not connected"));

        // The next command makes its own, as a new runspace would: here from NEMO_API_URL and an anonymous token.
        var before = second.Emulator.Store.RequestLog.Count;
        Environment.SetEnvironmentVariable("NEMO_API_URL", first.BaseUri);
        try
        {
            a.Run("Get-NemoCredit | Out-Null");
            var own = a.One("Get-NemoSession");
            Assert.Empty(a.Errors);
            Assert.Equal(new Uri(first.BaseUri), (Uri)own.Properties["BaseUri"].Value);
            Assert.NotEqual(bFingerprint.BaseObject, own.Properties["TokenFingerprint"].Value);
        }
        finally { Environment.SetEnvironmentVariable("NEMO_API_URL", null); }
        Assert.Equal(before, second.Emulator.Store.RequestLog.Count); // nothing went to the other runspace's service
        Assert.Equal(1, first.Requests("/api/credits/"));
        Assert.Equal(second.BaseUri, b.One("Get-NemoSession").Properties["BaseUri"].Value.ToString()); // b keeps its own
    }

    [Fact]
    public async Task ForEach_Object_Parallel_runspaces_use_the_connection_made_last_in_the_process()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        var output = shell.Run("""
            Connect-Nemo -BaseUri $uri | Out-Null
            1..3 | ForEach-Object -ThrottleLimit 3 -Parallel { Import-Module $using:manifest; (Get-NemoCredit).Available }
            """, new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["manifest"] = ModuleFixture.Manifest });
        Assert.Empty(shell.Errors);
        Assert.Equal(3, output.Count);
        Assert.Equal(3, stage.Requests("/api/credits/"));
        Assert.Equal(1, stage.Requests("/api/auth/anonymous-token"));
    }

    [Fact]
    public async Task Output_objects_are_data_a_serializer_walks_quickly()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        // ConvertTo-Json walks every property to -Depth: a client with its handlers and delegates would make megabytes.
        var counts = shell.Run("""
            $c = Connect-Nemo -BaseUri $uri -PassThru
            $a = Send-NemoVideo -LiteralPath $clip
            $s = Get-NemoState
            $k = Get-NemoCredit
            foreach ($o in $c, $a, $s, $k, (Get-NemoSession)) { (ConvertTo-Json -InputObject $o -Depth 10 -WarningAction SilentlyContinue).Length }
            """, new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["clip"] = clip });
        Assert.Empty(shell.Errors);
        Assert.Equal(5, counts.Count);
        Assert.All(counts, c => Assert.True((int)c.BaseObject is > 50 and < 20_000, $"ConvertTo-Json -Depth 10 wrote {c} characters: machinery leaked into an output object"));
    }
}
