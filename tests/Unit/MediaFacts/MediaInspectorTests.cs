using System.Globalization;
using System.Text;
using System.Text.Json;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>The managed inspector against ffprobe, on real files made by ffmpeg: containers, codecs, lengths, measured bitrates.</summary>
public class MediaInspectorTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-inspect-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private static Task<string> Mp3Async(string name, double seconds, params string[] codec) => Media.MadeAsync(name, path =>
    {
        var args = new List<string> { "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={seconds.ToString(CultureInfo.InvariantCulture)}",
            "-f", "lavfi", "-i", $"anoisesrc=color=pink:amplitude=0.3:duration={seconds.ToString(CultureInfo.InvariantCulture)}", "-filter_complex", "amix=inputs=2" };
        args.AddRange(codec);
        args.Add(path);
        return args;
    });

    /// <summary>ffprobe's figures for the first audio and video streams.</summary>
    private static async Task<(double Duration, JsonElement? Audio, JsonElement? Video, string Format)> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-of", "json", path });
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(json).RootElement;
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        JsonElement? Of(string type) => streams.Where(s => s.GetProperty("codec_type").GetString() == type
            && !(s.TryGetProperty("disposition", out var d) && d.GetProperty("attached_pic").GetInt32() == 1)).Cast<JsonElement?>().FirstOrDefault();
        var format = root.GetProperty("format");
        return (double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), Of("audio"), Of("video"), format.GetProperty("format_name").GetString()!);
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String
        ? int.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture) : e.GetProperty(name).GetInt32();

    private static void Within(double expected, double actual, double share, string what) =>
        Assert.True(Math.Abs(actual - expected) <= expected * share, $"{what}: expected {expected} ±{share:P0}, measured {actual}");

    [Theory]
    [InlineData(32, 22050, 1)]
    [InlineData(64, 44100, 1)]
    [InlineData(128, 44100, 2)]
    [InlineData(192, 48000, 2)]
    [InlineData(320, 44100, 2)]
    [InlineData(320, 48000, 2)]
    public async Task A_CBR_MP3_is_measured_as_ffprobe_sees_it(int kbps, int rate, int channels)
    {
        var path = await Mp3Async($"cbr-{kbps}-{rate}-{channels}.mp3", 6, "-ar", rate.ToString(CultureInfo.InvariantCulture), "-ac", channels.ToString(CultureInfo.InvariantCulture), "-c:a", "libmp3lame", "-b:a", kbps + "k");
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);

        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.Equal("mp3", facts.AudioCodec);
        Assert.False(facts.IsVbr);
        Assert.False(facts.Truncated);
        Assert.False(facts.HasVideo);
        Assert.Equal(Int(probe.Audio!.Value, "sample_rate"), facts.SampleRate);
        Assert.Equal(Int(probe.Audio!.Value, "channels"), facts.Channels);
        Within(Int(probe.Audio!.Value, "bit_rate") / 1000.0, facts.AudioBitrateKbps!.Value, 0.02, "bitrate");
        Assert.Equal(kbps, facts.AudioBitrateKbps);
        Within(probe.Duration, facts.Duration!.Value.TotalSeconds, 0.01, "duration");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(9)]
    public async Task A_VBR_MP3_with_a_Xing_header_is_measured_as_ffprobe_sees_it(int quality)
    {
        var path = await Mp3Async($"vbr-{quality}.mp3", 8, "-c:a", "libmp3lame", "-q:a", quality.ToString(CultureInfo.InvariantCulture));
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);
        Assert.Contains("Xing", Encoding.ASCII.GetString(File.ReadAllBytes(path).Take(8192).ToArray()));

        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.True(facts.IsVbr);
        Assert.False(facts.Truncated);
        Within(Int(probe.Audio!.Value, "bit_rate") / 1000.0, facts.AudioBitrateKbps!.Value, 0.02, "bitrate");
        Within(probe.Duration, facts.Duration!.Value.TotalSeconds, 0.01, "duration");
    }

    [Fact]
    public async Task Tags_at_either_end_are_not_counted_as_audio()
    {
        var cover = await Media.MadeAsync("cover.png", p => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=600x600", "-frames:v", "1", p });
        var tagged = await Media.MadeAsync("tagged-192.mp3", p => new List<string>
        {
            "-f", "lavfi", "-i", "sine=frequency=440:duration=5", "-i", cover, "-map", "0:a", "-map", "1:v", "-c:a", "libmp3lame", "-b:a", "192k",
            "-c:v", "png", "-disposition:v", "attached_pic", "-id3v2_version", "3", "-metadata", "title=Episode 12", "-write_id3v1", "1", p,
        });
        // An APEv2 tag (header, one item, footer) before the ID3v1 tag, as some taggers write it.
        var path = Path.Combine(_dir, "ape.mp3");
        var bytes = File.ReadAllBytes(tagged).ToList();
        var id3v1 = bytes.GetRange(bytes.Count - 128, 128);
        bytes.RemoveRange(bytes.Count - 128, 128);
        bytes.AddRange(Mp3Trailers.ApeTag("Artist", "NemoVideo"));
        bytes.AddRange(id3v1);
        File.WriteAllBytes(path, bytes.ToArray());

        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);
        Assert.True(new FileInfo(tagged).Length > 100_000, "the cover makes the ID3v2 tag large");
        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.False(facts.HasVideo); // the cover is not a video
        Assert.Equal(192, facts.AudioBitrateKbps);
        Assert.False(facts.Truncated);
        Within(probe.Duration, facts.Duration!.Value.TotalSeconds, 0.01, "duration");
        Within(Int(probe.Audio!.Value, "bit_rate") / 1000.0, facts.AudioBitrateKbps!.Value, 0.02, "bitrate");
    }


    [Theory]
    [InlineData("faststart.mp4", true)]
    [InlineData("moov-at-end.mp4", false)]
    [InlineData("clip.mov", false)]
    public async Task An_MP4_or_MOV_is_a_video_of_its_codecs_size_length_and_bitrate(string name, bool faststart)
    {
        var path = await Media.MadeAsync("inspect-" + name, p =>
        {
            var args = new List<string> { "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", "4", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "600k", "-c:a", "aac", "-b:a", "128k" };
            if (faststart) args.AddRange(new[] { "-movflags", "+faststart" });
            args.Add(p);
            return args;
        });
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);

        Assert.Equal(MediaContainer.Mp4, facts.Container);
        Assert.True(facts.HasVideo);
        Assert.True(facts.HasAudio);
        Assert.Equal("h264", facts.VideoCodec);
        Assert.Equal("aac", facts.AudioCodec);
        Assert.Equal(640, facts.Width);
        Assert.Equal(360, facts.Height);
        Assert.Equal(48000, facts.SampleRate);
        Assert.False(facts.Truncated);
        Within(probe.Duration, facts.Duration!.Value.TotalSeconds, 0.02, "duration");
        Within(Int(probe.Video!.Value, "bit_rate") / 1000.0, facts.VideoBitrateKbps!.Value, 0.02, "video bitrate");
        Within(Int(probe.Audio!.Value, "bit_rate") / 1000.0, facts.AudioBitrateKbps!.Value, 0.02, "audio bitrate");
    }

    [Fact]
    public async Task An_M4A_and_an_MP4_with_MP3_audio_are_told_apart_from_an_MP3()
    {
        var m4a = await Media.MadeAsync("inspect.m4a", p => new List<string> { "-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac", "-b:a", "96k", p });
        var mp4mp3 = await Media.MadeAsync("inspect-mp3-in.mp4", p => new List<string>
            { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libmp3lame", p });
        var audio = MediaInspector.Inspect(m4a);
        Assert.Equal(MediaContainer.Mp4, audio.Container);
        Assert.False(audio.HasVideo);
        Assert.Equal("aac", audio.AudioCodec);
        var video = MediaInspector.Inspect(mp4mp3);
        Assert.Equal(MediaContainer.Mp4, video.Container);
        Assert.Equal("mp3", video.AudioCodec);
        Assert.True(video.HasVideo);
        Assert.Contains("MP4 video", video.Describe());
    }

    [Theory]
    [InlineData(".mkv", "matroska")]
    [InlineData(".webm", "webm")]
    public async Task Matroska_and_WebM_are_recognised_as_such(string extension, string brand)
    {
        var path = await Media.ClipAsync(extension, seconds: 2);
        var facts = MediaInspector.Inspect(path);
        Assert.Equal(MediaContainer.Matroska, facts.Container);
        Assert.Equal(brand, facts.Brand);
        Assert.True(facts.HasVideo);
        Assert.True(facts.HasAudio);
        Assert.Equal(extension == ".webm" ? "opus" : "aac", facts.AudioCodec);
    }

    [Fact]
    public async Task A_truncated_MP3_is_said_to_be_cut_short()
    {
        var whole = await Mp3Async("whole-128.mp3", 10, "-c:a", "libmp3lame", "-b:a", "128k");
        var bytes = File.ReadAllBytes(whole);
        var midFrame = Path.Combine(_dir, "mid-frame.mp3");
        File.WriteAllBytes(midFrame, bytes.Take(bytes.Length - 200).ToArray());
        var half = Path.Combine(_dir, "half.mp3");
        File.WriteAllBytes(half, bytes.Take(bytes.Length / 2).ToArray());

        Assert.False(MediaInspector.Inspect(whole).Truncated);
        Assert.True(MediaInspector.Inspect(midFrame).Truncated);
        var halfFacts = MediaInspector.Inspect(half);
        Assert.True(halfFacts.Truncated, "the Info header promises twice the frames");
        Assert.InRange(halfFacts.Duration!.Value.TotalSeconds, 4.5, 5.5);
        Assert.Contains("cut short", halfFacts.Describe());
    }

    [Fact]
    public void Text_JSON_and_empty_files_are_not_media()
    {
        var text = Path.Combine(_dir, "notes.mp3");
        File.WriteAllText(text, "These are my notes, not audio.\nLine two.");
        var json = Path.Combine(_dir, "error.mp4");
        File.WriteAllText(json, "{\"code\":1001,\"message\":\"token expired\"}");
        var empty = Path.Combine(_dir, "empty.mp3");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var noise = Path.Combine(_dir, "noise.mp3");
        File.WriteAllBytes(noise, Enumerable.Range(0, 50_000).Select(i => (byte)(i * 7919 % 251)).ToArray());

        var t = MediaInspector.Inspect(text);
        Assert.Equal(MediaContainer.Other, t.Container);
        Assert.Contains("text file (starting \"These are my notes", t.Describe());
        Assert.Equal(MediaContainer.Other, MediaInspector.Inspect(json).Container);
        Assert.Equal("an empty file", MediaInspector.Inspect(empty).Describe());
        Assert.Equal(MediaContainer.Unknown, MediaInspector.Inspect(noise).Container);
        Assert.False(MediaInspector.Inspect(noise).HasAudio);
    }
}
