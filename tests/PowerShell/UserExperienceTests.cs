using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>What a demanding user hit (issue 11), each in a real pipeline: errors that fit, nothing paid for in vain.</summary>
public class UserExperienceTests
{
    private static Dictionary<string, object?> Vars(Stage stage) => new() { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };

    [Theory]
    [InlineData("Cloud")]
    [InlineData("Local")]
    public async Task The_same_bad_input_gets_the_same_error_id_and_category_on_either_engine(string engine)
    {
        await using var stage = await Stage.StartAsync();
        File.WriteAllBytes(Path.Combine(stage.Folder, "empty.mkv"), Array.Empty<byte>());
        File.WriteAllText(Path.Combine(stage.Folder, "notes.mkv"), "meeting notes, not a video");
        using var shell = new Shell();
        shell.Run($"Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Engine {engine}", Vars(stage));
        var byFile = shell.Errors.ToDictionary(e => ((FileInfo)e.TargetObject).Name);
        Assert.Equal("Nemo.EmptyFile,NemoVideo.PowerShell.Cmdlets.ConvertToNemoMp3Command", byFile["empty.mkv"].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, byFile["empty.mkv"].CategoryInfo.Category);
        Assert.Equal("Nemo.NotMedia,NemoVideo.PowerShell.Cmdlets.ConvertToNemoMp3Command", byFile["notes.mkv"].FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, byFile["notes.mkv"].CategoryInfo.Category);
        Assert.All(shell.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.ErrorDetails.RecommendedAction)));
        Assert.Contains("plays", byFile["notes.mkv"].ErrorDetails.RecommendedAction); // the same advice, whoever found it
    }

    [Fact]
    public async Task A_missing_track_is_refused_before_the_upload_with_the_tracks_there_are()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(1);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -AudioTrack 5", Vars(stage));
        var error = Assert.Single(shell.Errors);
        Assert.StartsWith("Nemo.NoSuchTrack,", error.FullyQualifiedErrorId);
        Assert.Equal("Use -AudioTrack 1 to 1.", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, stage.Requests("/api/upload-video/"));
        Assert.Equal(0, stage.Emulator.Store.AgentMessages);
    }

    [Fact]
    public async Task Get_NemoRender_with_a_bad_and_a_good_id_reports_the_bad_one_and_returns_the_good_one()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        var output = shell.Run("""
            Connect-Nemo -BaseUri $uri | Out-Null
            Send-NemoVideo -LiteralPath $clip | Out-Null
            Send-NemoMessage 'Extract the audio as MP3' | Out-Null
            $good = (Invoke-NemoExport -Format mp3 -OutFile ([IO.Path]::Combine($dir, 'x.mp3'))).RenderId
            Get-NemoRender -Id 'render_missing', $good
            """, new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder, ["clip"] = clip });
        var render = Assert.Single(output);
        Assert.Equal("Completed", render.Properties["Status"].Value.ToString());
        var error = Assert.Single(shell.Errors);
        Assert.Equal("render_missing", error.TargetObject);
    }

    [Fact]
    public async Task WhatIf_with_existing_outputs_says_what_would_happen_and_writes_no_error()
    {
        await using var stage = await Stage.StartAsync();
        var clips = await stage.ClipsAsync(2);
        File.WriteAllText(Path.ChangeExtension(clips[0], ".mp3"), "an older conversion");
        var host = new AnsweringHost();
        using var shell = new Shell(host: host);
        shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -WhatIf", Vars(stage));
        Assert.Empty(shell.Errors);
        Assert.Empty(stage.Emulator.Store.RequestLog);
        shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3", Vars(stage) );
        var exists = Assert.Single(shell.Errors, e => e.FullyQualifiedErrorId.StartsWith("Nemo.OutputExists,"));
        Assert.Equal(ErrorCategory.ResourceExists, exists.CategoryInfo.Category);
        Assert.Contains("-SkipExisting", exists.ErrorDetails.RecommendedAction);
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData("10m", 600)]
    [InlineData("'00:10:00'", 600)]
    public void A_bare_number_for_Timeout_is_seconds_and_other_spellings_bind_too(string written, int seconds)
    {
        using var shell = new Shell();
        var bound = shell.One($"function probe {{ [CmdletBinding()] param([NemoVideo.PowerShell.RenderTimeoutTransformation()] [TimeSpan] $Timeout) $Timeout }}; probe -Timeout {written}");
        Assert.Equal(TimeSpan.FromSeconds(seconds), (TimeSpan)bound.BaseObject);
    }

    [Fact]
    public async Task A_Timeout_too_short_to_render_is_refused_while_binding_before_anything_is_paid_for()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(1);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Timeout 5", Vars(stage));
        var error = Assert.Single(shell.Errors);
        Assert.StartsWith("ParameterArgumentTransformationError", error.FullyQualifiedErrorId);
        Assert.Contains("too short", error.ToString());
        Assert.Empty(stage.Emulator.Store.RequestLog);
    }

    [Fact]
    public void Connect_Nemo_says_at_once_when_nothing_listens_and_when_the_token_is_blank()
    {
        using var shell = new Shell();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        shell.Run($"Connect-Nemo -BaseUri http://127.0.0.1:{port}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        var refused = Assert.Single(shell.Errors);
        Assert.StartsWith("Nemo.Unreachable", refused.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, refused.CategoryInfo.Category);
        Assert.Contains("connection refused", refused.ToString());
        Assert.Contains("-BaseUri", refused.ErrorDetails.RecommendedAction);
        shell.Run($"Connect-Nemo -BaseUri http://127.0.0.1:{port} -Token '  '");
        Assert.Contains("blank", shell.Errors.Last().ToString());
    }
}
