using System.Globalization;
using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>Compress-NemoVideo -TargetSize and -Codec through real pipelines (issue 17): binding, parameter sets, errors, and the time left on every bar.</summary>
public class TargetSizeCmdletTests
{
    private static Dictionary<string, object?> Vars(Stage stage) => new() { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder };

    /// <summary>A noisy clip (so a size is worth meeting) copied into the stage's folder under <paramref name="names"/>.</summary>
    private static async Task ClipsAsync(Stage stage, double seconds, int height, params string[] names)
    {
        var width = height * 16 / 9 / 2 * 2;
        var clip = await NemoVideo.Tests.Media.MadeAsync($"ps-size-{seconds}-{height}.mp4", path => new List<string>
        {
            "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=25,noise=alls=12:allf=t", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18", "-c:a", "aac", "-b:a", "128k", path,
        });
        foreach (var name in names) File.Copy(clip, Path.Combine(stage.Folder, name), overwrite: true);
    }

    [Theory]
    [InlineData("300KB")]
    [InlineData("'300 KB'")]
    public async Task TargetSize_binds_PowerShell_bytes_and_text_and_the_result_reports_its_size_target_and_bitrate(string size)
    {
        await using var stage = await Stage.StartAsync();
        await ClipsAsync(stage, 4, 360, "talk.mp4");
        using var shell = new Shell();
        var result = Assert.Single(shell.Run($"Set-Location -LiteralPath $dir; Get-ChildItem talk.mp4 | Compress-NemoVideo -TargetSize {size} -Codec H265 -Engine Local", Vars(stage)));
        Assert.Empty(shell.Errors);
        var file = (FileInfo)result.BaseObject;
        Assert.Equal(300L * 1024, result.Properties["TargetSize"].Value);
        Assert.InRange(file.Length, (long)(300 * 1024 * 0.85), 300 * 1024);
        Assert.Equal(file.Length, (long)result.Properties["Length"].Value);
        Assert.Equal("hevc", result.Properties["Codec"].Value);
        Assert.InRange((int)result.Properties["Bitrate"].Value, 200, 600);
    }

    [Fact]
    public void TargetSize_is_a_parameter_set_beside_VideoBitrate()
    {
        using var shell = new Shell();
        var sets = shell.Run("(Get-Command Compress-NemoVideo).ParameterSets.Name").Select(p => p.BaseObject.ToString()).Order().ToArray();
        Assert.Equal(new[] { "LiteralPath", "Path", "PendingWork", "TargetSizeLiteralPath", "TargetSizePath" }, sets);
        string BindingError(string script)
        {
            var before = shell.Errors.Count;
            shell.Run(script);
            var error = Assert.Single(shell.Errors.Skip(before));
            Assert.IsAssignableFrom<ParameterBindingException>(error.Exception);
            return error.Exception.Message;
        }
        Assert.Contains("Parameter set cannot be resolved", BindingError("Compress-NemoVideo -Path a.mp4 -TargetSize 25MB -VideoBitrate 8M -WhatIf"));
        Assert.Contains("Parameter set cannot be resolved", BindingError("Compress-NemoVideo -Path a.mp4 -TargetSize 25MB -TwoPass -WhatIf"));
        var bad = BindingError("Compress-NemoVideo -Path a.mp4 -TargetSize '25 furlongs' -WhatIf");
        Assert.Contains("'25 MB'", bad);
    }

    [Fact]
    public async Task A_size_no_video_fits_is_an_error_that_says_the_smallest_that_works()
    {
        await using var stage = await Stage.StartAsync();
        await ClipsAsync(stage, 4, 360, "talk.mp4");
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Compress-NemoVideo -Path talk.mp4 -TargetSize 20KB -Engine Local", Vars(stage));
        Assert.Empty(output);
        var error = Assert.Single(shell.Errors);
        Assert.Equal("Nemo.TargetSizeTooSmall,NemoVideo.PowerShell.Cmdlets.CompressNemoVideoCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("audio alone", error.ErrorDetails.Message);
        Assert.Matches(@"Give -TargetSize [0-9.]+ KB or more \(with -Resolution 240p\)", error.ErrorDetails.RecommendedAction);
        Assert.Equal(new[] { "talk.mp4" }, stage.Files());
    }

    [Fact]
    public async Task Every_bar_carries_a_falling_SecondsRemaining_and_the_batch_counts_the_files_still_waiting()
    {
        await using var stage = await Stage.StartAsync();
        await ClipsAsync(stage, 10, 480, "a.mp4", "b.mp4");
        using var shell = new Shell();
        var output = shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mp4 | Compress-NemoVideo -TargetSize 1MB -Engine Local -ThrottleLimit 1", Vars(stage));
        Assert.Empty(shell.Errors);
        Assert.Equal(2, output.Count);

        var first = shell.Progress.Where(p => p.ParentActivityId >= 0 && p.RecordType == ProgressRecordType.Processing && p.Activity == "a.mp4").ToList();
        var estimates = first.Where(p => p.SecondsRemaining >= 0).Select(p => p.SecondsRemaining).ToList();
        Assert.True(estimates.Count >= 3, $"{estimates.Count} estimates on the file's bar");
        Assert.True(estimates[^1] < estimates.Max(), string.Join(" ", estimates)); // falls as the encode goes on
        Assert.True(estimates[^1] <= 2, string.Join(" ", estimates));

        // While the first file runs, the batch's estimate is more than the file's: the second one is still waiting.
        var parents = shell.Progress.Where(p => p.ParentActivityId < 0 && p.RecordType == ProgressRecordType.Processing).ToList();
        var index = shell.Progress.IndexOf(first.Last(p => p.SecondsRemaining >= 0));
        var parentThen = shell.Progress.Skip(index).First(p => p.ParentActivityId < 0);
        Assert.True(parentThen.SecondsRemaining > first.Last(p => p.SecondsRemaining >= 0).SecondsRemaining + 1,
            $"batch {parentThen.SecondsRemaining} s, file {first.Last(p => p.SecondsRemaining >= 0).SecondsRemaining} s");
        var batch = parents.Where(p => p.SecondsRemaining >= 0).Select(p => p.SecondsRemaining).ToList();
        Assert.True(batch[^1] < batch.Max(), string.Join(" ", batch));
    }
}
