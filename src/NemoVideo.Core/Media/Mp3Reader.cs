namespace NemoVideo.Media;

/// <summary>One MPEG audio frame header, decoded.</summary>
internal readonly struct MpegFrame
{
    private static readonly int[] Mpeg1Layer3 = { 0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };
    private static readonly int[] Mpeg1Layer2 = { 0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384 };
    private static readonly int[] Mpeg2Layer23 = { 0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160 };
    private static readonly int[] Rates = { 44100, 48000, 32000 };

    private MpegFrame(int version, int layer, int kbps, int sampleRate, int length, int channels)
    {
        Version = version; Layer = layer; Kbps = kbps; SampleRate = sampleRate; Length = length; Channels = channels;
    }

    /// <summary>1 for MPEG-1, 2 for MPEG-2, 25 for MPEG-2.5.</summary>
    public int Version { get; }
    public int Layer { get; }
    public int Kbps { get; }
    public int SampleRate { get; }
    public int Length { get; }
    public int Channels { get; }
    public int SamplesPerFrame => Layer == 3 && Version != 1 ? 576 : 1152;

    /// <summary>The header at <paramref name="i"/>, if it is one of layer II or III (free and bad bitrates refused).</summary>
    public static bool TryRead(byte[] b, int i, out MpegFrame frame)
    {
        frame = default;
        if (b[i] != 0xFF || (b[i + 1] & 0xE0) != 0xE0) return false;
        var versionBits = (b[i + 1] >> 3) & 3;
        var layerBits = (b[i + 1] >> 1) & 3;
        var bitrateIndex = b[i + 2] >> 4;
        var rateIndex = (b[i + 2] >> 2) & 3;
        if (versionBits == 1 || layerBits is 0 or 3 || bitrateIndex is 0 or 15 || rateIndex == 3) return false;
        var version = versionBits switch { 3 => 1, 2 => 2, _ => 25 };
        var layer = layerBits == 1 ? 3 : 2;
        var kbps = version == 1 ? (layer == 3 ? Mpeg1Layer3 : Mpeg1Layer2)[bitrateIndex] : Mpeg2Layer23[bitrateIndex];
        var sampleRate = Rates[rateIndex] / (version == 1 ? 1 : version == 2 ? 2 : 4);
        var padding = (b[i + 2] >> 1) & 1;
        var perFrame = layer == 3 && version != 1 ? 72 : 144;
        var length = perFrame * kbps * 1000 / sampleRate + padding;
        frame = new MpegFrame(version, layer, kbps, sampleRate, length, (b[i + 3] >> 6) == 3 ? 1 : 2);
        return true;
    }
}

/// <summary>
/// Reads an MP3 the way a player does: past ID3v2 tags to the first frame confirmed by the next, then from frame
/// header to frame header to the end (read in large chunks: a 100 MB file is a few dozen reads), with the Xing/Info
/// or VBRI header, leaving ID3v1, APEv2 and Lyrics3 tags at the end out of the audio.
/// </summary>
internal static class Mp3Reader
{
    private const int Chunk = 1 << 20;

    public static MediaFacts? TryRead(Stream s, long length)
    {
        var start = SkipId3v2(s);
        var tag = start > 0 ? Id3v2Tag.Read(s, length) : null; // only the tag's bytes: a cover is read, the audio is not
        var end = AudioEnd(s, length);
        if (start >= end) return null;
        var buffer = new byte[Chunk + 8];
        var first = FindFirstFrame(s, start, end, buffer);
        if (first is not (long offset, MpegFrame f)) return null;

        // A Xing/Info or VBRI header lives in the first frame, which then carries no audio.
        var read = ReadAt(s, offset, buffer, Math.Min(f.Length, 256));
        var vbrFrames = ReadVbrHeader(buffer, read, f, out var isXing, out var isInfo);
        var pos = offset;
        if (vbrFrames.HasValue) pos += f.Length;

        long frames = 0, bytes = 0;
        var truncated = false;
        int minKbps = int.MaxValue, maxKbps = 0;
        while (pos + 4 <= end)
        {
            // A chunk from the next frame on; a frame that runs past the chunk is skipped by the next read's start.
            var count = ReadAt(s, pos, buffer, (int)Math.Min(Chunk, end - pos));
            var i = 0;
            while (i + 4 <= count)
            {
                if (!MpegFrame.TryRead(buffer, i, out var frame) || frame.SampleRate != f.SampleRate || frame.Layer != f.Layer)
                {
                    i++; // a damaged stretch: on to the next header, as a player would
                    continue;
                }
                if (pos + i + frame.Length > end) { truncated = true; i = (int)(end - pos); break; }
                frames++;
                bytes += frame.Length;
                if (frame.Kbps < minKbps) minKbps = frame.Kbps;
                if (frame.Kbps > maxKbps) maxKbps = frame.Kbps;
                i += frame.Length;
            }
            pos += Math.Max(i, 1);
        }
        if (frames == 0) return null;
        if (vbrFrames is long promised && promised > frames + 1) truncated = true;
        var seconds = frames * (double)f.SamplesPerFrame / f.SampleRate;
        var vbr = (isXing && !isInfo) || (vbrFrames.HasValue && !isInfo) || minKbps != maxKbps;
        // The ID3v2 tag's fields, and the ID3v1 tag's where the ID3v2 tag has none (mutagen's reading; ffprobe reads ID3v1 only without ID3v2).
        var v2 = tag is { Major: >= 2 and <= 4 };
        var tags = tag?.ReadTags() ?? new Dictionary<string, string>();
        var v1 = Id3v1Tag.Read(s, length);
        if (v1 != null) foreach (var t in v1) if (!tags.ContainsKey(t.Key)) tags[t.Key] = t.Value;
        return new MediaFacts
        {
            Container = MediaContainer.Mp3, HasAudio = true, AudioCodec = f.Layer == 3 ? "mp3" : "mp2",
            AudioBitrateKbps = (int)Math.Round(bytes * 8 / seconds / 1000), IsVbr = vbr,
            SampleRate = f.SampleRate, Channels = f.Channels, Duration = TimeSpan.FromSeconds(seconds),
            Length = length, Truncated = truncated,
            Tags = tags, Chapters = tag?.ReadChapters() ?? new List<MediaChapter>(),
            Cover = tag?.ReadCover(), TagFormat = v2 ? tag!.Format : v1 is { Count: > 0 } ? "ID3v1" : null,
            AudioTracks = new[] { new AudioTrackFacts { Codec = f.Layer == 3 ? "mp3" : "mp2", Channels = f.Channels, SampleRate = f.SampleRate } },
        };
    }

    /// <summary>Where the audio starts: after every ID3v2 tag (with its footer, if flagged).</summary>
    internal static long SkipId3v2(Stream s)
    {
        long pos = 0;
        var b = new byte[10];
        while (true)
        {
            if (ReadAt(s, pos, b, 10) < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return pos;
            var size = (b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | (b[9] & 0x7F);
            pos += 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0);
        }
    }

    /// <summary>Where the audio ends: before ID3v1, Lyrics3v2 and APEv2 tags.</summary>
    internal static long AudioEnd(Stream s, long length)
    {
        var end = length;
        var b = new byte[32];
        if (end >= 128 && ReadAt(s, end - 128, b, 3) == 3 && b[0] == 'T' && b[1] == 'A' && b[2] == 'G') end -= 128;
        if (end >= 15 && ReadAt(s, end - 15, b, 15) == 15 && System.Text.Encoding.ASCII.GetString(b, 6, 9) == "LYRICS200"
            && int.TryParse(System.Text.Encoding.ASCII.GetString(b, 0, 6), out var lyrics))
            end -= 15 + lyrics;
        if (end >= 32 && ReadAt(s, end - 32, b, 32) == 32 && System.Text.Encoding.ASCII.GetString(b, 0, 8) == "APETAGEX")
        {
            var size = BitConverter.ToInt32(b, 12); // little-endian: the items and this footer
            var hasHeader = (b[23] & 0x80) != 0;
            end -= size + (hasHeader ? 32 : 0);
        }
        return Math.Max(0, end);
    }

    /// <summary>The first frame header in the first 256 KiB of audio that the next header confirms.</summary>
    private static (long, MpegFrame)? FindFirstFrame(Stream s, long start, long end, byte[] buffer)
    {
        var count = ReadAt(s, start, buffer, (int)Math.Min(256 * 1024 + 8, end - start));
        for (var i = 0; i + 4 <= count; i++)
        {
            if (!MpegFrame.TryRead(buffer, i, out var f)) continue;
            var next = i + f.Length;
            if (next + 4 <= count)
            {
                if (MpegFrame.TryRead(buffer, next, out var g) && g.SampleRate == f.SampleRate && g.Layer == f.Layer) return (start + i, f);
            }
            else if (start + next >= end - 4)
            {
                return (start + i, f); // a file of one frame
            }
        }
        return null;
    }

    /// <summary>The frame count of a Xing/Info or VBRI header in the first frame, if there is one.</summary>
    private static long? ReadVbrHeader(byte[] b, int count, MpegFrame f, out bool isXing, out bool isInfo)
    {
        isXing = isInfo = false;
        var side = f.Version == 1 ? (f.Channels == 1 ? 17 : 32) : (f.Channels == 1 ? 9 : 17);
        var x = 4 + side;
        if (x + 12 <= count && (Tag(b, x, "Xing") || Tag(b, x, "Info")))
        {
            isXing = true;
            isInfo = Tag(b, x, "Info");
            var flags = BigEndian(b, x + 4);
            return (flags & 1) != 0 ? BigEndian(b, x + 8) : 0;
        }
        if (36 + 18 <= count && Tag(b, 36, "VBRI")) return BigEndian(b, 36 + 14);
        return null;
    }

    private static bool Tag(byte[] b, int i, string tag) => b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3];

    private static uint BigEndian(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);

    internal static int ReadAt(Stream s, long offset, byte[] buffer, int count)
    {
        if (count <= 0) return 0;
        s.Position = offset;
        var total = 0;
        while (total < count)
        {
            var n = s.Read(buffer, total, count - total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
