using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// Reads an ISO base media file (MP4, MOV, M4A) from its boxes: the top level walked by size (the media data is
/// skipped, never read), the <c>moov</c> index read whole wherever it sits — the tracks, their codecs, sizes and lengths.
/// </summary>
internal static class Mp4Reader
{
    private const int MaxIndex = 64 * 1024 * 1024;

    public static MediaFacts? TryRead(Stream s, long length)
    {
        var header = new byte[16];
        string? brand = null;
        byte[]? moov = null;
        var truncated = false;
        long pos = 0;
        var sawFtyp = false;
        while (pos + 8 <= length)
        {
            if (Mp3Reader.ReadAt(s, pos, header, 16) < 8) break;
            long size = U32(header, 0);
            var type = Encoding.ASCII.GetString(header, 4, 4);
            var headerSize = 8;
            if (size == 1) { size = (long)U64(header, 8); headerSize = 16; }
            else if (size == 0) size = length - pos;
            if (pos == 0 && type != "ftyp" && type != "moov" && type != "mdat" && type != "wide" && type != "free" && type != "skip") return null;
            if (size < headerSize) { truncated = true; break; }
            if (type == "ftyp") { sawFtyp = true; brand = Encoding.ASCII.GetString(header, 8, 4); }
            if (pos + size > length) truncated = true;
            if (type == "moov" && size - headerSize <= MaxIndex && !truncated)
            {
                moov = new byte[size - headerSize];
                if (Mp3Reader.ReadAt(s, pos + headerSize, moov, moov.Length) < moov.Length) { truncated = true; moov = null; }
            }
            pos += size;
        }
        if (!sawFtyp && moov is null) return null;
        if (moov is null) return new MediaFacts { Container = MediaContainer.Mp4, Brand = brand, Length = length, Truncated = true };

        var facts = new Builder { Brand = brand, Length = length, Truncated = truncated };
        foreach (var (type, start, end) in Children(moov, 0, moov.Length))
        {
            if (type == "mvhd") facts.MovieSeconds = Duration(moov, start);
            else if (type == "trak") ReadTrack(moov, start, end, facts);
        }
        return facts.Build();
    }

    private sealed class Builder
    {
        public string? Brand;
        public long Length;
        public bool Truncated;
        public double? MovieSeconds;
        public string? VideoCodec, AudioCodec, VideoCodecTag;
        public int? Width, Height, SampleRate, Channels;
        public long VideoBytes, AudioBytes;
        public double VideoSeconds, AudioSeconds;

        public MediaFacts Build() => new()
        {
            Container = MediaContainer.Mp4, Brand = Brand, Length = Length, Truncated = Truncated,
            HasVideo = VideoCodec != null, HasAudio = AudioCodec != null, VideoCodec = VideoCodec, AudioCodec = AudioCodec, VideoCodecTag = VideoCodecTag,
            Width = Width, Height = Height, SampleRate = SampleRate, Channels = Channels,
            VideoBitrateKbps = Kbps(VideoBytes, VideoSeconds), AudioBitrateKbps = Kbps(AudioBytes, AudioSeconds),
            Duration = MovieSeconds is double m && m > 0 ? TimeSpan.FromSeconds(m)
                : Math.Max(VideoSeconds, AudioSeconds) > 0 ? TimeSpan.FromSeconds(Math.Max(VideoSeconds, AudioSeconds)) : null,
        };

        private static int? Kbps(long bytes, double seconds) => bytes > 0 && seconds > 0 ? (int)Math.Round(bytes * 8 / seconds / 1000) : null;
    }

    private static void ReadTrack(byte[] b, int start, int end, Builder facts)
    {
        string? handler = null, fourcc = null;
        int? width = null, height = null, channels = null, rate = null;
        double seconds = 0;
        long bytes = 0;
        int objectType = 0;
        foreach (var (type, s, e) in Children(b, start, end))
        {
            if (type == "tkhd" && e - s >= 84)
            {
                var v1 = b[s] == 1;
                var at = s + (v1 ? 88 : 76);
                if (at + 8 <= e) { width = (int)(U32(b, at) >> 16); height = (int)(U32(b, at + 4) >> 16); }
            }
            if (type != "mdia") continue;
            foreach (var (mt, ms, me) in Children(b, s, e))
            {
                if (mt == "mdhd") seconds = Duration(b, ms) ?? 0;
                else if (mt == "hdlr" && me - ms >= 12) handler = Encoding.ASCII.GetString(b, ms + 8, 4);
                else if (mt == "minf")
                    foreach (var (st, ss, se) in Children(b, ms, me))
                    {
                        if (st != "stbl") continue;
                        foreach (var (bt, bs, be) in Children(b, ss, se))
                        {
                            if (bt == "stsd" && be - bs >= 16)
                            {
                                var entry = bs + 8;
                                fourcc = Encoding.ASCII.GetString(b, entry + 4, 4);
                                if (entry + 36 <= be && handler == "soun")
                                {
                                    channels = (b[entry + 24] << 8) | b[entry + 25];
                                    rate = (int)(U32(b, entry + 32) >> 16);
                                    // QuickTime sound entries of version 1 and 2 carry 16 and 36 more bytes before their children.
                                    var children = entry + 36 + ((b[entry + 16] << 8 | b[entry + 17]) switch { 1 => 16, 2 => 36, _ => 0 });
                                    objectType = EsdsObjectType(b, children, Math.Min(be, entry + (int)U32(b, entry)));
                                }
                            }
                            else if (bt == "stsz" && be - bs >= 12)
                            {
                                var fixedSize = U32(b, bs + 4);
                                var count = U32(b, bs + 8);
                                if (fixedSize != 0) bytes = (long)fixedSize * count;
                                else for (var i = 0; i < count && bs + 12 + i * 4 + 4 <= be; i++) bytes += U32(b, bs + 12 + i * 4);
                            }
                        }
                    }
            }
        }
        if (handler == "vide" && facts.VideoCodec is null)
        {
            facts.VideoCodec = VideoCodec(fourcc); facts.VideoCodecTag = fourcc;
            facts.Width = width; facts.Height = height; facts.VideoBytes = bytes; facts.VideoSeconds = seconds;
        }
        else if (handler == "soun" && facts.AudioCodec is null)
        {
            facts.AudioCodec = AudioCodec(fourcc, objectType);
            facts.Channels = channels; facts.SampleRate = rate; facts.AudioBytes = bytes; facts.AudioSeconds = seconds;
        }
    }

    private static string VideoCodec(string? fourcc) => fourcc switch
    {
        "avc1" or "avc3" => "h264", "hev1" or "hvc1" => "hevc", "av01" => "av1", "vp09" => "vp9", "vp08" => "vp8",
        "mp4v" => "mpeg4", "apch" or "apcn" or "apcs" or "apco" or "ap4h" => "prores", "jpeg" or "mjpa" => "mjpeg",
        null => "video", _ => fourcc.Trim(),
    };

    private static string AudioCodec(string? fourcc, int objectType) => fourcc switch
    {
        "mp4a" => objectType is 0x69 or 0x6B ? "mp3" : "aac",
        ".mp3" => "mp3", "Opus" => "opus", "ac-3" => "ac3", "ec-3" => "eac3", "alac" => "alac", "fLaC" => "flac",
        "lpcm" or "sowt" or "twos" or "in24" or "in32" or "fl32" or "fl64" => "pcm",
        null => "audio", _ => fourcc.Trim(),
    };

    /// <summary>The objectTypeIndication of an esds box among the sample entry's children (0x40 AAC, 0x69/0x6B MP3).</summary>
    private static int EsdsObjectType(byte[] b, int start, int end)
    {
        foreach (var (type, s, e) in Children(b, start, end))
        {
            if (type != "esds") continue;
            var i = s + 4; // version and flags
            while (i + 2 < e)
            {
                var tag = b[i++];
                var len = 0;
                for (var k = 0; k < 4 && i < e; k++) { var c = b[i++]; len = (len << 7) | (c & 0x7F); if ((c & 0x80) == 0) break; }
                if (tag == 0x03) { var flags = b[i + 2]; i += 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0); if ((flags & 0x40) != 0 && i < e) i += 1 + b[i]; continue; }
                if (tag == 0x04) return i < e ? b[i] : 0;
                i += len;
            }
        }
        return 0;
    }

    /// <summary>mvhd/mdhd: duration over timescale, for both box versions.</summary>
    private static double? Duration(byte[] b, int s)
    {
        if (b[s] == 1) { var scale = U32(b, s + 20); return scale == 0 ? null : U64(b, s + 24) / (double)scale; }
        var timescale = U32(b, s + 12);
        var duration = U32(b, s + 16);
        return timescale == 0 || duration == uint.MaxValue ? null : duration / (double)timescale;
    }

    /// <summary>The child boxes of the range: (type, content start, content end).</summary>
    private static IEnumerable<(string Type, int Start, int End)> Children(byte[] b, int start, int end)
    {
        var pos = start;
        while (pos + 8 <= end)
        {
            long size = U32(b, pos);
            var headerSize = 8;
            if (size == 1 && pos + 16 <= end) { size = (long)U64(b, pos + 8); headerSize = 16; }
            else if (size == 0) size = end - pos;
            if (size < headerSize || pos + size > end) yield break;
            yield return (Encoding.ASCII.GetString(b, pos + 4, 4), pos + headerSize, (int)(pos + size));
            pos += (int)size;
        }
    }

    private static uint U32(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);

    private static ulong U64(byte[] b, int i) => (ulong)U32(b, i) << 32 | U32(b, i + 4);
}
