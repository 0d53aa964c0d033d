using System.Text;
using System.Text.Json;
using Inspector = NemoVideo.Media.MediaInspector;
using MediaContainer = NemoVideo.Media.MediaContainer;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>An MP3's tags as ffprobe reads them, when the only tag is the ID3v1 tag at its end.</summary>
public class Mp3ReaderTests
{
    /// <summary>ffmpeg writes an ID3v1(.1) tag only beside an ID3v2 tag: the ID3v2 tag is then cut from the file's head.</summary>
    private static async Task<string> Id3v1OnlyAsync()
    {
        var both = await Media.MadeAsync("id3v1-and-v2.mp3", path => new List<string>
        {
            "-f", "lavfi", "-i", "sine=duration=2", "-c:a", "libmp3lame", "-id3v2_version", "3", "-write_id3v1", "1",
            "-metadata", "title=Old Title é", "-metadata", "artist=Old Artist", "-metadata", "album=Old Album", "-metadata", "date=1999",
            "-metadata", "comment=Ripped", "-metadata", "track=7", "-metadata", "genre=Rock", path,
        });
        var bytes = await File.ReadAllBytesAsync(both);
        var tagLength = 10 + ((bytes[6] & 0x7F) << 21 | (bytes[7] & 0x7F) << 14 | (bytes[8] & 0x7F) << 7 | (bytes[9] & 0x7F));
        var path = Path.Combine(Path.GetDirectoryName(both)!, "id3v1-only.mp3");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(tagLength).ToArray());
        return path;
    }

    [Fact]
    public async Task An_ID3v1_tag_alone_is_read_as_ffprobe_reads_it()
    {
        var path = await Id3v1OnlyAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.Equal("TAG", Encoding.ASCII.GetString(bytes, bytes.Length - 128, 3));
        Assert.NotEqual("ID3", Encoding.ASCII.GetString(bytes, 0, 3));
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-of", "json", path });
        Assert.True(code == 0, err);
        var probed = JsonDocument.Parse(json).RootElement.GetProperty("format").GetProperty("tags").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());

        var facts = Inspector.Inspect(path);
        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.Equal("ID3v1", facts.TagFormat);
        foreach (var name in new[] { "title", "artist", "album", "date", "comment", "track", "genre" })
            Assert.Equal(probed[name], facts.Tags[name]);
        Assert.Equal("Old Title é", facts.Tags["title"]);
        Assert.Equal("7", facts.Tags["track"]);
    }

    [Fact]
    public async Task An_ID3v1_tag_in_Latin1_and_without_a_track_is_read_as_written()
    {
        var tag = new byte[128];
        Encoding.ASCII.GetBytes("TAG").CopyTo(tag, 0);
        Encoding.Latin1.GetBytes("Caf\u00e9 ").CopyTo(tag, 3);              // Latin-1 é, padded with a space
        Encoding.Latin1.GetBytes("Someone".PadRight(30)).CopyTo(tag, 33);
        Encoding.Latin1.GetBytes(new string('c', 30)).CopyTo(tag, 97);      // a comment of all 30 bytes: ID3v1.0, no track
        tag[127] = 255;                                                     // no genre
        var frames = await File.ReadAllBytesAsync(await Id3v1OnlyAsync());
        var audio = frames.AsSpan(0, frames.Length - 128).ToArray();
        using var stream = new MemoryStream(audio.Concat(tag).ToArray());

        var facts = Inspector.Inspect(stream, stream.Length);
        Assert.Equal("Café", facts.Tags["title"]);
        Assert.Equal("Someone", facts.Tags["artist"]);
        Assert.Equal(new string('c', 30), facts.Tags["comment"]);
        Assert.False(facts.Tags.ContainsKey("track"));
        Assert.False(facts.Tags.ContainsKey("genre"));
    }
}
