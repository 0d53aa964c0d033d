using System.Globalization;
using System.Text;
using System.Text.Json;
using Facts = NemoVideo.Media.MediaFacts;
using Inspector = NemoVideo.Media.MediaInspector;
using MediaContainer = NemoVideo.Media.MediaContainer;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>WAV files as ffprobe and mutagen read them: an ID3v2 tag in an "id3 " chunk, LIST/INFO tags, RF64.</summary>
public class WaveReaderTests
{
    private static Task<string> WaveAsync(string name, params string[] extra) => Media.MadeAsync(name, path =>
    {
        var args = new List<string> { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=2", "-ac", "2" };
        args.AddRange(extra);
        args.Add(path);
        return args;
    });

    private static async Task<JsonElement> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-of", "json", path });
        Assert.True(code == 0, err);
        return JsonDocument.Parse(json).RootElement;
    }

    private static string FormatTag(JsonElement probe, string name)
    {
        foreach (var p in probe.GetProperty("format").GetProperty("tags").EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)) return p.Value.GetString()!;
        throw new Xunit.Sdk.XunitException($"ffprobe reports no {name} tag");
    }

    /// <summary>
    /// A WAV with an "id3 " chunk after its data, as mutagen and broadcast tools write it (ffmpeg 5.1's WAV muxer cannot):
    /// the ID3v2.3 tag ffmpeg writes at the head of an MP3 with the same tags and a cover, moved into the chunk.
    /// </summary>
    private static async Task<string> WaveWithId3Async(string chunkId)
    {
        var cover = await Media.MadeAsync("wav-cover.jpg", path => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=1", "-frames:v", "1", path });
        var tagged = await Media.MadeAsync("wav-id3-source.mp3", path => new List<string>
        {
            "-f", "lavfi", "-i", "sine=duration=1", "-i", cover, "-map", "0", "-map", "1", "-c:a", "libmp3lame", "-c:v", "copy", "-id3v2_version", "3",
            "-metadata", "title=Wave Title — Ünï", "-metadata", "artist=Wave Artist", "-metadata", "album=Wave Album", "-disposition:v", "attached_pic", path,
        });
        var wave = await WaveAsync("plain.wav", "-map_metadata", "-1", "-fflags", "+bitexact");
        var mp3 = await File.ReadAllBytesAsync(tagged);
        var tagLength = 10 + ((mp3[6] & 0x7F) << 21 | (mp3[7] & 0x7F) << 14 | (mp3[8] & 0x7F) << 7 | (mp3[9] & 0x7F));
        var bytes = new List<byte>(await File.ReadAllBytesAsync(wave));
        bytes.AddRange(Encoding.ASCII.GetBytes(chunkId));
        bytes.AddRange(BitConverter.GetBytes(tagLength));
        bytes.AddRange(mp3.Take(tagLength));
        if (tagLength % 2 == 1) bytes.Add(0);
        var all = bytes.ToArray();
        BitConverter.GetBytes(all.Length - 8).CopyTo(all, 4);
        var path = Path.Combine(Path.GetDirectoryName(wave)!, $"id3-chunk-{chunkId.Trim()}.wav");
        await File.WriteAllBytesAsync(path, all);
        return path;
    }

    [Theory]
    [InlineData("id3 ")]
    [InlineData("ID3 ")]
    public async Task An_ID3v2_tag_in_a_WAV_chunk_is_read_as_ffprobe_reads_it(string chunkId)
    {
        var path = await WaveWithId3Async(chunkId);
        var probe = await ProbeAsync(path);
        var facts = Inspector.Inspect(path);

        Assert.Equal(MediaContainer.Wave, facts.Container);
        Assert.Equal(FormatTag(probe, "title"), facts.Tags["title"]);
        Assert.Equal(FormatTag(probe, "artist"), facts.Tags["artist"]);
        Assert.Equal(FormatTag(probe, "album"), facts.Tags["album"]);
        Assert.Equal("ID3v2.3", facts.TagFormat);
        Assert.Contains(probe.GetProperty("streams").EnumerateArray(), s => s.GetProperty("codec_type").GetString() == "video"
            && s.GetProperty("disposition").GetProperty("attached_pic").GetInt32() == 1);
        Assert.NotNull(facts.Cover);
        Assert.Equal((160, 120), (facts.Cover!.Width, facts.Cover.Height));
        Assert.Equal(double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), facts.Duration!.Value.TotalSeconds, 2);
    }

    [Fact]
    public async Task LIST_INFO_tags_are_read_as_ffprobe_reads_them()
    {
        var path = await WaveAsync("info-tags.wav", "-metadata", "title=Info Title", "-metadata", "artist=Info Artist", "-metadata", "album=Info Album", "-metadata", "genre=Speech");
        var probe = await ProbeAsync(path);
        var facts = Inspector.Inspect(path);

        foreach (var name in new[] { "title", "artist", "album", "genre" }) Assert.Equal(FormatTag(probe, name), facts.Tags[name]);
        Assert.Equal("RIFF INFO", facts.TagFormat);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("auto")]
    public async Task An_RF64_WAV_is_read_with_its_ds64_sizes(string rf64)
    {
        var path = await WaveAsync($"rf64-{rf64}.wav", "-rf64", rf64);
        var probe = await ProbeAsync(path);
        var facts = Inspector.Inspect(path);
        var audio = probe.GetProperty("streams")[0];

        Assert.Equal(MediaContainer.Wave, facts.Container);
        Assert.True(facts.HasAudio);
        Assert.False(facts.Truncated);
        Assert.Equal(int.Parse(audio.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture), facts.SampleRate);
        Assert.Equal(audio.GetProperty("channels").GetInt32(), facts.Channels);
        Assert.Equal(double.Parse(probe.GetProperty("format").GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), facts.Duration!.Value.TotalSeconds, 3);
        Assert.StartsWith("a WAV file", facts.Describe());
        if (rf64 == "always") Assert.Equal("RF64", Encoding.ASCII.GetString(File.ReadAllBytes(path), 0, 4));
    }

    [Fact]
    public async Task An_RF64_WAV_cut_short_is_said_to_be()
    {
        var path = await WaveAsync("rf64-whole.wav", "-rf64", "always");
        var bytes = await File.ReadAllBytesAsync(path);
        var half = Path.Combine(Path.GetDirectoryName(path)!, "rf64-half.wav");
        await File.WriteAllBytesAsync(half, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        Facts facts = Inspector.Inspect(half);
        Assert.Equal(MediaContainer.Wave, facts.Container);
        Assert.True(facts.Truncated);
        Assert.InRange(facts.Duration!.Value.TotalSeconds, 0.9, 1.1);
    }
}
