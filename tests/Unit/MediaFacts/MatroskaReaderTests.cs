using System.Globalization;
using System.Text.Json;
using Inspector = NemoVideo.Media.MediaInspector;
using MediaContainer = NemoVideo.Media.MediaContainer;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>A Matroska file cut short: its Segment or a Cluster runs past the end.</summary>
public class MatroskaReaderTests
{
    private static Task<string> TenSecondsAsync(string extension) => Media.MadeAsync("ten-seconds" + extension, path => new List<string>
    {
        "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=10:duration=10", "-f", "lavfi", "-i", "sine=duration=10",
        "-c:v", "libx264", "-preset", "ultrafast", "-g", "10", "-c:a", "libopus", "-cluster_time_limit", "1000", path,
    });

    [Fact]
    public async Task A_Matroska_file_cut_in_half_is_cut_short_and_as_long_as_what_is_left()
    {
        const string extension = ".mkv";
        var whole = await TenSecondsAsync(extension);
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-of", "json", whole });
        Assert.True(code == 0, err);
        var probed = double.Parse(JsonDocument.Parse(json).RootElement.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        var wholeFacts = Inspector.Inspect(whole);
        Assert.False(wholeFacts.Truncated);
        Assert.Equal(probed, wholeFacts.Duration!.Value.TotalSeconds, 1);

        var bytes = await File.ReadAllBytesAsync(whole);
        var half = Path.Combine(Path.GetDirectoryName(whole)!, "half-of-ten-seconds" + extension);
        await File.WriteAllBytesAsync(half, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var facts = Inspector.Inspect(half);
        Assert.Equal(MediaContainer.Matroska, facts.Container);
        Assert.True(facts.Truncated);
        Assert.InRange(facts.Duration!.Value.TotalSeconds, 3, 6);
        Assert.Contains("cut short", facts.Describe());
        Assert.False(facts.TracksKnown);
    }
}
