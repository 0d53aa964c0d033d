namespace NemoVideo.PowerShell.Tests;

/// <summary>The default views at 80 columns (issue 24, point 6): every header whole, the measured figures shown.</summary>
public class FormatViewTests
{
    private static string Render(Shell shell, string script, string file)
    {
        var text = string.Join("\n", shell.Run(script + " | Out-String -Width 80", new Dictionary<string, object?> { ["file"] = file }));
        Assert.Empty(shell.Errors);
        return text;
    }

    /// <summary>The header line names every label in full on one line (Name last, taking what is left), and no line passes 80 columns.</summary>
    private static void AssertHeadersWhole(string text, params string[] labels)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).ToList();
        var header = lines.FindIndex(l => l.StartsWith(labels[0], StringComparison.Ordinal) || l.TrimStart().StartsWith(labels[0] + " ", StringComparison.Ordinal));
        Assert.True(header >= 0, text);
        var words = lines[header].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(labels.SequenceEqual(words), "headers are not whole:\n" + text);
        // The underline follows at once: a wrapped header would put a second header line in between.
        Assert.Matches(@"^[\s-]+$", lines[header + 1]);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"'{l}' passes 80 columns"));
    }

    private static string TempFile(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "nemo-view-" + Guid.NewGuid().ToString("N"), name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[3 * 1024 * 1024]);
        return path;
    }

    [Fact]
    public void An_MP3_result_shows_size_bitrate_duration_loudness_and_engine_at_80_columns()
    {
        using var shell = new Shell();
        var file = TempFile("a rather long episode name, part 42.mp3");
        try
        {
            var text = Render(shell, """
                $o = Get-Item -LiteralPath $file
                $o.PSObject.TypeNames.Insert(0, 'NemoVideo.Mp3File')
                $o | Add-Member -NotePropertyMembers ([ordered]@{ Bitrate = 192; Vbr = $false; Duration = [timespan]::FromSeconds(754.3); Loudness = -16.04; Engine = 'Cloud'; FinishedLocally = $true })
                $o
                """, file);
            AssertHeadersWhole(text, "Size", "Bitrate", "Duration", "Loudness", "Engine", "Name");
            foreach (var must in new[] { "3 MB", "192 kbps CBR", "12:34.3", "-16.0 LUFS", "Local" }) Assert.Contains(must, text);
        }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, true); }
    }

    [Fact]
    public void A_compressed_video_shows_size_bitrate_duration_target_and_codec_at_80_columns()
    {
        using var shell = new Shell();
        var file = TempFile("holiday.compressed.mp4");
        try
        {
            var text = Render(shell, """
                $o = Get-Item -LiteralPath $file
                $o.PSObject.TypeNames.Insert(0, 'NemoVideo.CompressedVideo')
                $o | Add-Member -NotePropertyMembers ([ordered]@{ Bitrate = 2437; Duration = [timespan]::FromMinutes(83); TargetSize = 25MB; RequestedBitrate = $null; Codec = 'h264'; Engine = 'Cloud'; FinishedLocally = $false })
                $o
                """, file);
            AssertHeadersWhole(text, "Size", "Bitrate", "Duration", "Target", "Codec", "Engine", "Name");
            foreach (var must in new[] { "3 MB", "2.437 Mbps", "1:23:00", "25 MB", "h264", "Cloud" }) Assert.Contains(must, text);
        }
        finally { Directory.Delete(Path.GetDirectoryName(file)!, true); }
    }

    [Fact]
    public void The_media_info_table_keeps_its_headers_whole_at_80_columns()
    {
        using var shell = new Shell();
        var text = Render(shell, """
            [NemoVideo.Media.MediaReport]@{ FullName = $file; Container = 'Matroska'; VideoCodec = 'h264'; AudioCodec = 'aac'; Duration = [timespan]::FromSeconds(95); Bitrate = 128; BitrateMode = 'CBR'; Loudness = -23.01 }
            """, Path.Combine(Path.GetTempPath(), "interview.mkv"));
        AssertHeadersWhole(text, "Container", "Codecs", "Duration", "Bitrate", "Chapters", "Loudness", "Name");
        foreach (var must in new[] { "interview.mkv", "Matroska", "h264, aac", "1:35.0", "128 kbps CBR", "-23.0 LUFS" }) Assert.Contains(must, text);
    }

    [Fact]
    public async Task ConvertTo_NemoMp3_results_show_in_that_view_and_the_file_system_view_on_asking()
    {
        var clip = await NemoVideo.Tests.Media.ClipAsync(".mkv", seconds: 2); // cached for the test run: left alone
        var folder = Path.Combine(Path.GetTempPath(), "nemo-view-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            using var shell = new Shell();
            var results = shell.Run("ConvertTo-NemoMp3 -LiteralPath $clip -Destination $folder -Engine Local", new Dictionary<string, object?> { ["clip"] = clip, ["folder"] = folder });
            Assert.Empty(shell.Errors);
            var result = Assert.Single(results);
            Assert.Equal("NemoVideo.Mp3File", result.TypeNames[0]);
            shell.Runspace.SessionStateProxy.SetVariable("result", result);
            var text = Render(shell, "$result", "");
            AssertHeadersWhole(text, "Size", "Bitrate", "Duration", "Loudness", "Engine", "Name");
            Assert.Contains($"{result.Properties["Bitrate"].Value} kbps", text);
            Assert.Contains("Local", text);
            var files = Render(shell, "$result | Format-Table -View children", "");
            Assert.Contains("LastWriteTime", files);
            Assert.Contains(((FileInfo)result.BaseObject).Name, files);
        }
        finally { Directory.Delete(folder, true); }
    }
}
