using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// Reads a RIFF WAVE file, and its 64-bit forms RF64 and BW64 (what broadcast recorders write past 4 GB: the sizes
/// that do not fit 32 bits are 0xFFFFFFFF, the real ones in a ds64 chunk): the fmt chunk, the data size, and the tags
/// — an ID3v2 tag in an "id3 " (or "ID3 ") chunk, as mutagen and ffmpeg read it, else a LIST/INFO list.
/// </summary>
internal static class WaveReader
{
    /// <summary>LIST/INFO ids under ffprobe's names (ffmpeg's riff.c).</summary>
    private static readonly Dictionary<string, string> InfoNames = new()
    {
        ["INAM"] = "title", ["IART"] = "artist", ["IPRD"] = "album", ["ICMT"] = "comment", ["ICRD"] = "date", ["IGNR"] = "genre",
        ["ITRK"] = "track", ["IPRT"] = "track", ["ICOP"] = "copyright", ["ISFT"] = "encoder", ["ILNG"] = "language", ["ITCH"] = "encoded_by",
    };

    /// <summary>The head starts "RIFF....WAVE", "RF64....WAVE" or "BW64....WAVE".</summary>
    public static bool IsWave(byte[] head, int count) =>
        count >= 12 && (Tag(head, 0, "RIFF") || Tag(head, 0, "RF64") || Tag(head, 0, "BW64")) && Tag(head, 8, "WAVE");

    public static MediaFacts Read(Stream s, long length)
    {
        var chunk = new byte[8];
        long pos = 12;
        int channels = 0, rate = 0, byteRate = 0;
        long data = 0;
        long? ds64Data = null;
        var truncated = false;
        Id3v2Tag? id3 = null;
        Dictionary<string, string>? info = null;
        while (pos + 8 <= length && Mp3Reader.ReadAt(s, pos, chunk, 8) == 8)
        {
            var id = Encoding.ASCII.GetString(chunk, 0, 4);
            long size = BitConverter.ToUInt32(chunk, 4);
            if (id == "ds64" && size >= 16)
            {
                var ds64 = new byte[16];
                if (Mp3Reader.ReadAt(s, pos + 8, ds64, 16) == 16) ds64Data = BitConverter.ToInt64(ds64, 8); // after the RIFF size
            }
            else if (id == "fmt " && size >= 16)
            {
                var fmt = new byte[16];
                Mp3Reader.ReadAt(s, pos + 8, fmt, 16);
                channels = BitConverter.ToUInt16(fmt, 2);
                rate = BitConverter.ToInt32(fmt, 4);
                byteRate = BitConverter.ToInt32(fmt, 8);
            }
            else if (id == "data")
            {
                if (size == 0xFFFFFFFF && ds64Data is long big and >= 0) size = big;
                if (pos + 8 + size > length) truncated = true;
                data = Math.Min(size, length - pos - 8);
            }
            else if ((id == "id3 " || id == "ID3 ") && id3 is null) id3 = Id3v2Tag.Read(s, Math.Min(length, pos + 8 + size), pos + 8);
            else if (id == "LIST" && size >= 4 && size <= 1 << 20 && info is null) info = ReadInfo(s, pos + 8, (int)Math.Min(size, length - pos - 8));
            pos += 8 + size + (size & 1);
        }
        // As ffmpeg does: the INFO list's items, and the ID3v2 tag's over them.
        var tags = info ?? new Dictionary<string, string>();
        if (id3?.ReadTags() is { } id3Tags) foreach (var t in id3Tags) tags[t.Key] = t.Value;
        var tagFormat = id3 is { Major: >= 2 and <= 4 } && (id3.Frames.Count > 0) ? id3.Format : tags.Count > 0 ? "RIFF INFO" : null;
        var duration = byteRate > 0 ? TimeSpan.FromSeconds(data / (double)byteRate) : (TimeSpan?)null;
        var hasAudio = data > 0;
        return new MediaFacts
        {
            Container = MediaContainer.Wave, HasAudio = hasAudio, AudioCodec = "pcm", Channels = channels, SampleRate = rate, Length = length,
            AudioBitrateKbps = byteRate > 0 ? byteRate * 8 / 1000 : null, Duration = duration, Truncated = truncated,
            AudioTracks = hasAudio ? new[] { new AudioTrackFacts { Codec = "pcm", Channels = channels, SampleRate = rate } } : Array.Empty<AudioTrackFacts>(),
            Tags = tags, Cover = tagFormat?.StartsWith("ID3", StringComparison.Ordinal) == true ? id3!.ReadCover() : null, TagFormat = tagFormat,
            Chapters = tagFormat?.StartsWith("ID3", StringComparison.Ordinal) == true ? id3!.ReadChapters() : new List<MediaChapter>(),
        };
    }

    /// <summary>A LIST chunk of type INFO: its text items under ffprobe's names (null for any other list).</summary>
    private static Dictionary<string, string>? ReadInfo(Stream s, long start, int size)
    {
        var b = new byte[size];
        var n = Mp3Reader.ReadAt(s, start, b, size);
        if (n < 4 || !Tag(b, 0, "INFO")) return null;
        var tags = new Dictionary<string, string>();
        var i = 4;
        while (i + 8 <= n)
        {
            var id = Encoding.ASCII.GetString(b, i, 4);
            var itemSize = BitConverter.ToInt32(b, i + 4);
            if (itemSize < 0 || i + 8 + itemSize > n) break;
            var value = Encoding.UTF8.GetString(b, i + 8, itemSize).TrimEnd('\0').Trim();
            if (value.Length > 0) tags[InfoNames.TryGetValue(id, out var name) ? name : id.ToLowerInvariant()] = value;
            i += 8 + itemSize + (itemSize & 1);
        }
        return tags;
    }

    private static bool Tag(byte[] b, int i, string tag) => b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3];
}
