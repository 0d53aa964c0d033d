using System.Management.Automation;
using NemoVideo.Emulator;

namespace NemoVideo.PowerShell.Tests;

/// <summary>ConvertTo-NemoMp3 and Compress-NemoVideo through real pipelines: objects, every stream, -WhatIf, -Confirm, -ErrorAction.</summary>
public class JobCmdletTests
{
    private static Dictionary<string, object?> Vars(Stage stage, params (string, object?)[] more)
    {
        var v = new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };
        foreach (var (k, o) in more) v[k] = o;
        return v;
    }

    [Fact]
    public async Task The_main_job_returns_FileInfo_results_that_report_the_measured_file()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(2);
        using var shell = new Shell();
        var output = shell.Run("""
            Set-Location -LiteralPath $dir
            Connect-Nemo -BaseUri $uri | Out-Null
            Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 320k -Verbose
            """, Vars(stage));

        Assert.Empty(shell.Errors);
        Assert.Equal(2, output.Count);
        foreach (var o in output)
        {
            var file = Assert.IsType<FileInfo>(o.BaseObject);
            Assert.True(file.Exists);
            Assert.NotNull(o.Properties["PSParentPath"]); // what Get-Item returns: the file-system view shows mode, size and folder
            Assert.Equal(".mp3", file.Extension);
            Assert.Equal(320, o.Properties["Bitrate"].Value);
            Assert.Equal(320, o.Properties["RequestedBitrate"].Value);
            Assert.Equal(false, o.Properties["FinishedLocally"].Value);
            Assert.Equal("Cloud", o.Properties["Engine"].Value.ToString());
            Assert.Matches("^[0-9]+$", (string)o.Properties["SessionId"].Value);
            Assert.EndsWith(".mkv", (string)o.Properties["Source"].Value);
            Assert.InRange(((TimeSpan)o.Properties["Duration"].Value).TotalSeconds, 1.8, 2.3);
        }
        // -Verbose: every HTTP call, named by the file it is for, and never the token.
        Assert.Contains(shell.Verbose, v => v.Message.Contains("[clip 1.mkv]") && v.Message.Contains("POST /run_sse"));
        Assert.Contains(shell.Verbose, v => v.Message.Contains("[clip 2.mkv]") && v.Message.Contains("/api/upload-video/"));
        Assert.DoesNotContain(stage.CachedToken(), shell.Everything(output));
    }

    [Fact]
    public async Task Progress_is_a_parent_bar_with_a_child_bar_per_file_all_completed_at_the_end()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(3);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ThrottleLimit 2", Vars(stage));

        var parents = shell.Progress.Where(p => p.ParentActivityId < 0).Select(p => p.ActivityId).Distinct().ToList();
        var parent = Assert.Single(parents);
        var children = shell.Progress.Where(p => p.ParentActivityId == parent).GroupBy(p => p.ActivityId).ToList();
        Assert.Equal(3, children.Count);
        Assert.Contains(shell.Progress, p => p.ActivityId == parent && p.StatusDescription.Contains("of 3 files done"));
        foreach (var bar in shell.Progress.GroupBy(p => p.ActivityId))
            Assert.Equal(ProgressRecordType.Completed, bar.Last().RecordType);
        Assert.Contains(shell.Progress, p => p.CurrentOperation == "Rendering");
    }

    [Fact]
    public async Task A_batch_shows_one_parent_bar_and_at_most_ThrottleLimit_file_bars_at_any_moment()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(8);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ThrottleLimit 2", Vars(stage));
        var parent = shell.Progress.First(p => p.ParentActivityId < 0).ActivityId;
        var open = new HashSet<int>();
        var most = 0;
        foreach (var record in shell.Progress.Where(p => p.ParentActivityId == parent))
        {
            if (record.RecordType == ProgressRecordType.Completed) open.Remove(record.ActivityId); else open.Add(record.ActivityId);
            most = Math.Max(most, open.Count);
        }
        Assert.InRange(most, 1, 2); // not one bar per file of the batch
        Assert.Empty(open);
        Assert.Equal(8, shell.Progress.Where(p => p.ParentActivityId == parent).Select(p => p.ActivityId).Distinct().Count());
    }

    [Fact]
    public async Task A_bad_file_is_one_non_terminating_error_naming_it_and_the_rest_convert()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(2);
        File.WriteAllBytes(Path.Combine(stage.Folder, "empty.mkv"), Array.Empty<byte>());
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3", Vars(stage));

        Assert.Equal(2, output.Count);
        var error = Assert.Single(shell.Errors);
        Assert.StartsWith("Nemo.", error.FullyQualifiedErrorId);
        Assert.EndsWith(",NemoVideo.PowerShell.Cmdlets.ConvertToNemoMp3Command", error.FullyQualifiedErrorId);
        Assert.Equal("Nemo.EmptyFile,NemoVideo.PowerShell.Cmdlets.ConvertToNemoMp3Command", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
        Assert.Equal("empty.mkv", Assert.IsType<FileInfo>(error.TargetObject).Name);
        Assert.Contains("empty.mkv", error.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
    }

    [Fact]
    public async Task ErrorAction_Stop_turns_a_per_file_error_into_a_terminating_one()
    {
        await using var stage = await Stage.StartAsync();
        File.WriteAllBytes(Path.Combine(stage.Folder, "empty.mkv"), Array.Empty<byte>());
        using var shell = new Shell();
        var ex = Assert.Throws<ActionPreferenceStopException>(() =>
            shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ErrorAction Stop", Vars(stage)));
        Assert.StartsWith("Nemo.", ex.ErrorRecord.FullyQualifiedErrorId);
        Assert.Empty(stage.Files("*.mp3"));
    }

    [Fact]
    public async Task WhatIf_writes_nothing_and_sends_nothing()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(2);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Session (Connect-Nemo -BaseUri $uri -PassThru) -WhatIf", Vars(stage));
        var before = stage.Emulator.Store.RequestLog.Count; // Connect-Nemo's own calls
        shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -WhatIf; Get-ChildItem *.mkv | Compress-NemoVideo -VideoBitrate 1M -WhatIf", Vars(stage));
        // Only the balance was read (free), for the credit estimate.
        Assert.All(stage.Emulator.Store.RequestLog.Skip(before), r => Assert.Equal("GET /api/credits/balance/simple", r.Method + " " + r.Path));
        Assert.Equal(0, stage.Requests("/api/upload-video/"));
        Assert.Empty(stage.Files("*.mp3"));
        Assert.Empty(stage.Files("*.mp4"));
        Assert.Empty(shell.Errors);
    }

    [Fact]
    public async Task A_destination_folder_not_there_yet_is_made_when_a_job_runs_and_never_under_WhatIf()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(2);
        using var shell = new Shell();
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Compress-NemoVideo '.\\clip 1.mkv' -VideoBitrate 1M -Destination .\\small\\ -WhatIf", Vars(stage));
        Assert.False(Directory.Exists(Path.Combine(stage.Folder, "small")));
        Assert.Empty(shell.Errors);

        // The help's example as printed: a trailing separator means a folder, made just before the job.
        var one = shell.One("Set-Location -LiteralPath $dir; Compress-NemoVideo '.\\clip 1.mkv' -VideoBitrate 1M -Destination .\\small\\ -Verbose", Vars(stage));
        Assert.Equal(Path.Combine(stage.Folder, "small", "clip 1.mp4"), ((FileInfo)one.BaseObject).FullName);
        Assert.Contains(shell.Verbose, v => v.Message.StartsWith("Made the destination folder", StringComparison.Ordinal));

        // Several inputs: a name that is not there yet is a folder too, with the folders above it.
        var several = shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Destination out/mp3", Vars(stage));
        Assert.Equal(2, several.Count);
        Assert.Equal(new[] { "clip 1.mp3", "clip 2.mp3" }, Directory.GetFiles(Path.Combine(stage.Folder, "out", "mp3")).Select(Path.GetFileName).Order());
        Assert.Empty(shell.Errors);
    }

    [Fact]
    public async Task A_balance_short_of_the_batch_is_said_once_before_any_edit_with_what_will_likely_convert()
    {
        await using var stage = await Stage.StartAsync(o => o.AnonymousCredits = 120); // 50 an edit: two of four
        await stage.ClipsAsync(4);
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ThrottleLimit 1", Vars(stage));

        var warning = Assert.Single(shell.Warnings, w => w.Message.Contains("credits"));
        Assert.Contains("4 files need about 200 credits", warning.Message);
        Assert.Contains("the balance is 120, enough for about 2", warning.Message);
        Assert.Contains("-Engine Local", warning.Message);
        Assert.Equal(2, output.Count); // as the warning said
        Assert.Contains(shell.Errors, e => e.ToString().Contains("credits"));
    }

    [Fact]
    public async Task WhatIf_shows_the_credit_estimate_from_the_token_at_hand_and_never_fetches_one()
    {
        await using var stage = await Stage.StartAsync(o => o.AnonymousCredits = 100);
        await stage.ClipsAsync(3);
        var host = new AnsweringHost();
        using (var unconnected = new Shell(host: host))
        {
            unconnected.Run("Set-Location -LiteralPath $dir; Disconnect-Nemo -ErrorAction SilentlyContinue; $env:NEMO_API_URL = $uri; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -WhatIf; $env:NEMO_API_URL = $null", Vars(stage));
            Assert.Equal(0, stage.Requests("/api/auth/anonymous-token")); // no token was at hand: none fetched
            Assert.DoesNotContain(host.Lines, l => l.Contains("Spend credits"));
        }

        var connectedHost = new AnsweringHost();
        using var shell = new Shell(host: connectedHost);
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -WhatIf", Vars(stage));
        var line = Assert.Single(connectedHost.Lines, l => l.Contains("Spend credits"));
        Assert.Contains("3 files need about 150 credits", line);
        Assert.Contains("the balance is 100, enough for about 2", line);
        Assert.Equal(0, stage.Requests("/api/upload-video/"));
        Assert.Equal(0, stage.Emulator.Store.AgentMessages);
        Assert.Empty(stage.Files("*.mp3"));
    }

    [Fact]
    public async Task WhatIf_says_a_video_over_the_limit_goes_in_parts_and_counts_an_edit_a_part_in_the_estimate()
    {
        await using var stage = await Stage.StartAsync(o => o.AnonymousCredits = 1000);
        await stage.ClipsAsync(1, ".mp4");
        using (var big = File.Create(Path.Combine(stage.Folder, "webinar.mp4"))) big.SetLength(1400L * 1024 * 1024); // sparse: no disk used
        var host = new AnsweringHost();
        using var shell = new Shell(host: host);
        shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mp4 | Compress-NemoVideo -TargetSize 80MB -WhatIf", Vars(stage));
        var parts = Assert.Single(host.Lines, l => l.Contains("webinar.mp4") && l.Contains("What if"));
        Assert.Contains("in 4 parts (4 edits", parts);
        var cost = Assert.Single(host.Lines, l => l.Contains("Spend credits"));
        Assert.Contains("2 files need about 250 credits (5 edits", cost);
        Assert.Equal(0, stage.Requests("/api/upload-video/"));
        Assert.Equal(0, stage.Emulator.Store.AgentMessages);
    }

    [Fact]
    public async Task Confirm_asks_for_each_file_and_converts_only_those_answered_yes()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(2);
        var host = new AnsweringHost(0, 2); // Yes, then No
        using var shell = new Shell(host: host);
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Confirm", Vars(stage));
        Assert.Equal(2, host.Questions.Count);
        Assert.Contains("192 kbps", host.Questions[0]);
        Assert.Single(output);
        Assert.Single(stage.Files("*.mp3"));
        Assert.Equal(1, stage.Emulator.Store.AgentMessages);
    }

    [Fact]
    public async Task Credits_running_out_at_ThrottleLimit_4_is_said_once_listing_every_file_not_converted()
    {
        await using var stage = await Stage.StartAsync(o => o.AnonymousCredits = 100); // two edits
        await stage.ClipsAsync(6);
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -ThrottleLimit 4", Vars(stage));
        var stopped = Assert.Single(shell.Errors);
        Assert.Equal("Nemo.BatchStopped,NemoVideo.PowerShell.Cmdlets.ConvertToNemoMp3Command", stopped.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.QuotaExceeded, stopped.CategoryInfo.Category);
        var notConverted = 6 - output.Count;
        Assert.Contains($"{notConverted} file(s) were not converted", stopped.ToString());
        Assert.Equal(notConverted, ((string[])stopped.TargetObject).Length);
        Assert.Contains("?bind=", stopped.ErrorDetails!.RecommendedAction + stopped.Exception.InnerException!.Message);
    }

    [Fact]
    public async Task An_MP4_for_an_MP3_is_finished_here_with_one_warning_per_file()
    {
        await using var stage = await Stage.StartAsync(o => { o.Documented = true; o.RendersOnlyMp4 = true; });
        await stage.ClipsAsync(2);
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Bitrate 128", Vars(stage));
        Assert.Empty(shell.Errors);
        Assert.Equal(2, output.Count);
        Assert.All(output, o => Assert.Equal(true, o.Properties["FinishedLocally"].Value));
        Assert.All(output, o => Assert.Equal(128, o.Properties["Bitrate"].Value));
        Assert.Equal(2, shell.Warnings.Count);
        Assert.All(shell.Warnings, w => Assert.Contains("an MP4 audio file", w.Message)); // only the audio was sent
    }

    [Fact]
    public async Task Compress_NemoVideo_returns_the_video_with_its_measured_bitrate()
    {
        await using var stage = await Stage.StartAsync();
        await stage.ClipsAsync(1, ".mp4");
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Connect-Nemo -BaseUri $uri | Out-Null; Get-ChildItem *.mp4 | Compress-NemoVideo -VideoBitrate 400k -Resolution 240p", Vars(stage));
        Assert.Empty(shell.Errors);
        var result = Assert.Single(output);
        Assert.Equal("clip 1.compressed.mp4", ((FileInfo)result.BaseObject).Name);
        Assert.Equal(400, result.Properties["RequestedBitrate"].Value);
        Assert.InRange((int)result.Properties["Bitrate"].Value, 100, 520);
    }

    public static IEnumerable<object[]> Stages() => new[] { new object[] { "upload" }, new object[] { "agent" }, new object[] { "render" }, new object[] { "download" } };

    [Theory]
    [MemberData(nameof(Stages))]
    public async Task Stop_at_any_stage_leaves_no_partial_file_and_cancels_a_running_render(string stageName)
    {
        await using var stage = await Stage.StartAsync(o =>
        {
            if (stageName == "agent") o.AgentThinkTime = TimeSpan.FromSeconds(30);
            if (stageName == "render") o.MinRenderTime = TimeSpan.FromSeconds(60);
        });
        if (stageName == "upload") stage.Emulator.Faults.Add(new FaultRule { Route = "POST /api/upload-video/", DropRequestAfterBytes = 20_000, StallMs = 60_000 });
        if (stageName == "download") stage.Emulator.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", DropResponseAfterBytes = 2_000, StallMs = 60_000 });
        await stage.ClipsAsync(1, ".mkv", seconds: stageName == "upload" ? 10 : 2);
        using var shell = new Shell();
        shell.Run("Connect-Nemo -BaseUri $uri | Out-Null", Vars(stage));
        using var ps = shell.Create("Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3", Vars(stage));
        var running = ps.BeginInvoke();
        var reached = stageName switch
        {
            "upload" => (Func<bool>)(() => stage.Emulator.Faults.Fired > 0),
            "agent" => () => stage.Emulator.Store.AgentMessages > 0,
            "render" => () => stage.Emulator.Store.RenderCount > 0,
            _ => () => stage.Emulator.Faults.Fired > 0,
        };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!reached() && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(reached(), "the job reached " + stageName);
        await Task.Delay(300);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"stopped in {watch.Elapsed}");
        Assert.Throws<PipelineStoppedException>(() => ps.EndInvoke(running));
        Assert.Equal(new[] { "clip 1.mkv" }, stage.Files()); // no .mp3, no .partial
        if (stageName == "render") Assert.Equal(1, stage.Emulator.Store.RenderCancels);
    }
}
