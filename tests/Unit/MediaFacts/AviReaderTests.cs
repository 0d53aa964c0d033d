using System.Globalization;
using System.Text.Json;
using NemoVideo.Media;
using Inspector = NemoVideo.Media.MediaInspector;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>RIFF AVI read from its headers (avih, strh, strf), against ffprobe.</summary>
public class AviReaderTests
{
    [Theory]
    [InlineData("mpeg4", "libmp3lame")]
    [InlineData("libx264", "pcm_s16le")]
    [InlineData("mjpeg", "ac3")]
    public async Task An_AVI_is_read_as_ffprobe_reads_it(string video, string audio)
    {
        var path = await Media.MadeAsync($"clip-{video}-{audio}.avi", p => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3", "-f", "lavfi", "-i", "sine=sample_rate=48000:duration=3",
            "-c:v", video, "-c:a", audio, "-ac", "2", p,
        });
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-of", "json", path });
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(json).RootElement;
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        var v = streams.Single(s => s.GetProperty("codec_type").GetString() == "video");
        var a = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");

        var facts = Inspector.Inspect(path);
        Assert.Equal(MediaContainer.Avi, facts.Container);
        Assert.False(facts.Truncated);
        Assert.Equal(v.GetProperty("codec_name").GetString(), facts.VideoCodec);
        Assert.Equal((v.GetProperty("width").GetInt32(), v.GetProperty("height").GetInt32()), (facts.Width!.Value, facts.Height!.Value));
        var audioCodec = a.GetProperty("codec_name").GetString()!;
        Assert.Equal(audioCodec.StartsWith("pcm_", StringComparison.Ordinal) ? "pcm" : audioCodec, facts.AudioCodec);
        Assert.Equal(a.GetProperty("channels").GetInt32(), facts.Channels);
        Assert.Equal(int.Parse(a.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture), facts.SampleRate);
        var seconds = double.Parse(root.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(facts.Duration!.Value.TotalSeconds, seconds - 0.1, seconds + 0.1);
        Assert.StartsWith($"an AVI video ({facts.VideoCodec} 320x240, {facts.AudioCodec}), 3.", facts.Describe());
        Assert.Equal("AVI", MediaReport.Of(path, facts).Container);
        Assert.Single(facts.AudioTracks);
    }

    [Fact]
    public async Task An_AVI_cut_short_is_said_to_be()
    {
        var path = await Media.MadeAsync("clip-mpeg4-libmp3lame.avi", p => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=3", "-f", "lavfi", "-i", "sine=sample_rate=48000:duration=3",
            "-c:v", "mpeg4", "-c:a", "libmp3lame", "-ac", "2", p,
        });
        var bytes = await File.ReadAllBytesAsync(path);
        using var half = new MemoryStream(bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var facts = Inspector.Inspect(half, half.Length);
        Assert.Equal(MediaContainer.Avi, facts.Container);
        Assert.True(facts.Truncated);
        Assert.Contains("cut short", facts.Describe());
    }
}
