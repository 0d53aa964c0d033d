// Get-NemoMediaInfo's entry point; its scenarios live in PodcastCmdletTests, and what it reads in tests/Unit/MediaFacts.
using System.Text.Json;

namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoMediaInfoTests
{
    [Fact]
    public async Task Says_what_a_clip_is_from_its_bytes()
    {
        var clip = await NemoVideo.Tests.Media.ClipAsync(".mkv", 2);
        using var shell = new Shell();
        var info = shell.One("Get-NemoMediaInfo -LiteralPath $clip", new Dictionary<string, object?> { ["clip"] = clip });
        Assert.Equal("Matroska", info.Properties["Container"].Value?.ToString());
        Assert.InRange(((TimeSpan)info.Properties["Duration"].Value).TotalSeconds, 1.9, 2.1);
    }

    [Fact]
    public async Task Lists_every_audio_track_with_the_number_and_language_ConvertTo_NemoMp3_takes()
    {
        var clip = await NemoVideo.Tests.Media.TwoLanguageClipAsync();
        var (code, json, err) = await NemoVideo.Tests.Media.RunAsync("ffprobe", new[] { "-v", "error", "-select_streams", "a", "-show_streams", "-of", "json", clip });
        Assert.True(code == 0, err);
        var probed = JsonDocument.Parse(json).RootElement.GetProperty("streams").EnumerateArray()
            .Select(s => (s.GetProperty("codec_name").GetString(), s.GetProperty("tags").GetProperty("language").GetString(), s.GetProperty("channels").GetInt32(),
                int.Parse(s.GetProperty("sample_rate").GetString()!, System.Globalization.CultureInfo.InvariantCulture))).ToList();

        using var shell = new Shell();
        var tracks = shell.Run("(Get-NemoMediaInfo -LiteralPath $clip).AudioTracks", new Dictionary<string, object?> { ["clip"] = clip });
        Assert.Equal(new[] { 1, 2 }, tracks.Select(t => (int)t.Properties["Number"].Value));
        Assert.Equal(probed, tracks.Select(t => ((string?)t.Properties["Codec"].Value, (string?)t.Properties["Language"].Value,
            (int)t.Properties["Channels"].Value, (int)t.Properties["SampleRate"].Value)));

        // Format-List, the default list view, shows them one a line.
        var listed = string.Join("\n", shell.Run("Get-NemoMediaInfo -LiteralPath $clip | Format-List | Out-String -Width 200", new Dictionary<string, object?> { ["clip"] = clip }));
        Assert.Contains("AudioTracks", listed);
        Assert.Contains("1: aac eng", listed);
        Assert.Contains("2: opus ger", listed);
    }

    [Fact]
    public void A_file_that_is_not_media_is_reported_as_such_and_a_folder_is_an_error_for_itself()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-mediainfo-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            var text = Path.Combine(dir, "episode.mp3");
            File.WriteAllText(text, "not audio at all\n");
            var folder = Directory.CreateDirectory(Path.Combine(dir, "folder.mp3")).FullName;
            using var shell = new Shell();
            var output = shell.Run("Get-NemoMediaInfo -LiteralPath $folder, $text", new Dictionary<string, object?> { ["folder"] = folder, ["text"] = text });

            var report = Assert.Single(output);
            Assert.Equal("NotMedia", report.Properties["Container"].Value);
            Assert.Empty((Array)report.Properties["AudioTracks"].Value);
            var error = Assert.Single(shell.Errors);
            Assert.Contains("is a folder", error.ToString());
        }
        finally { Directory.Delete(dir, true); }
    }
}
