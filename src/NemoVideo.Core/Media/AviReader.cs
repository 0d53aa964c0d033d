using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// Reads a RIFF AVI's header list (hdrl): the main header (avih), and each stream's header (strh) and format (strf) —
/// the video's codec and size, the audio's codec, channels and rate, and the length from the streams' own counts
/// (which, unlike avih's frame count, cover an OpenDML file's later RIFF parts too). The movie data is never read.
/// </summary>
internal static class AviReader
{
    private const int MaxHeader = 1 << 20;

    public static bool IsAvi(byte[] head, int count) => count >= 12 && Tag(head, 0, "RIFF") && Tag(head, 8, "AVI ");

    public static MediaFacts Read(Stream s, long length)
    {
        var chunk = new byte[12];
        Mp3Reader.ReadAt(s, 0, chunk, 8);
        var truncated = 8L + BitConverter.ToUInt32(chunk, 4) > length;
        byte[]? hdrl = null;
        long pos = 12;
        while (pos + 12 <= length && Mp3Reader.ReadAt(s, pos, chunk, 12) == 12)
        {
            long size = BitConverter.ToUInt32(chunk, 4);
            if (Tag(chunk, 0, "LIST") && Tag(chunk, 8, "hdrl") && size <= MaxHeader)
            {
                hdrl = new byte[size - 4];
                if (Mp3Reader.ReadAt(s, pos + 12, hdrl, hdrl.Length) < hdrl.Length) truncated = true;
                break;
            }
            pos += 8 + size + (size & 1);
        }
        var facts = new Facts { Length = length, Truncated = truncated };
        if (hdrl != null)
            foreach (var (id, start, end) in Chunks(hdrl, 0, hdrl.Length))
            {
                if (id == "avih" && end - start >= 40)
                {
                    var microsPerFrame = U32(hdrl, start);
                    facts.MainSeconds = U32(hdrl, start + 16) * (double)microsPerFrame / 1e6;
                    facts.Width = (int)U32(hdrl, start + 32);
                    facts.Height = (int)U32(hdrl, start + 36);
                }
                else if (id == "LIST:strl") ReadStream(hdrl, start, end, facts);
            }
        return facts.Build();
    }

    private sealed class Facts
    {
        public long Length;
        public bool Truncated;
        public double MainSeconds, StreamSeconds;
        public int? Width, Height;
        public string? VideoCodec;
        public readonly List<AudioTrackFacts> Audio = new();

        public MediaFacts Build()
        {
            var first = Audio.Count > 0 ? Audio[0] : null;
            var seconds = StreamSeconds > 0 ? StreamSeconds : MainSeconds;
            return new MediaFacts
            {
                Container = MediaContainer.Avi, Length = Length, Truncated = Truncated,
                HasVideo = VideoCodec != null, VideoCodec = VideoCodec, Width = VideoCodec != null ? Width : null, Height = VideoCodec != null ? Height : null,
                HasAudio = first != null, AudioCodec = first?.Codec, Channels = first?.Channels, SampleRate = first?.SampleRate, AudioTracks = Audio,
                Duration = seconds > 0 ? TimeSpan.FromSeconds(seconds) : null,
            };
        }
    }

    private static void ReadStream(byte[] b, int start, int end, Facts facts)
    {
        string? type = null;
        double seconds = 0;
        foreach (var (id, s, e) in Chunks(b, start, end))
        {
            if (id == "strh" && e - s >= 36)
            {
                type = Encoding.ASCII.GetString(b, s, 4);
                var scale = U32(b, s + 20);
                var rate = U32(b, s + 24);
                if (rate > 0) seconds = (U32(b, s + 28) + (double)U32(b, s + 32)) * scale / rate; // (start + length) × scale / rate
            }
            else if (id == "strf" && type == "vids" && e - s >= 20 && facts.VideoCodec is null)
            {
                facts.VideoCodec = VideoCodec(b, s + 16);
                facts.Width = (int)U32(b, s + 4);
                facts.Height = Math.Abs((int)U32(b, s + 8)); // negative: a top-down bitmap
                facts.StreamSeconds = Math.Max(facts.StreamSeconds, seconds);
            }
            else if (id == "strf" && type == "auds" && e - s >= 16)
            {
                var format = b[s] | b[s + 1] << 8;
                facts.Audio.Add(new AudioTrackFacts { Codec = AudioCodec(format), Channels = b[s + 2] | b[s + 3] << 8, SampleRate = (int)U32(b, s + 4) });
                facts.StreamSeconds = Math.Max(facts.StreamSeconds, seconds);
            }
        }
    }

    /// <summary>BITMAPINFOHEADER's compression, as ffprobe names the codec.</summary>
    private static string VideoCodec(byte[] b, int at)
    {
        if (U32(b, at) is 0 or 3) return "rawvideo";
        var fourcc = Encoding.ASCII.GetString(b, at, 4);
        return fourcc.ToUpperInvariant() switch
        {
            "H264" or "X264" or "AVC1" or "DAVC" => "h264", "HEVC" or "H265" or "HVC1" or "HEV1" => "hevc",
            "XVID" or "DIVX" or "DX50" or "FMP4" or "MP4V" or "M4S2" => "mpeg4", "DIV3" or "MP43" => "msmpeg4v3",
            "MJPG" or "AVRN" => "mjpeg", "MPG2" or "MPEG" => "mpeg2video", "VP80" => "vp8", "VP90" => "vp9", "AV01" => "av1",
            "FFV1" => "ffv1", "HFYU" => "huffyuv", "CVID" => "cinepak", "DVSD" or "DV25" or "DV50" => "dvvideo",
            _ => fourcc.Trim().ToLowerInvariant(),
        };
    }

    /// <summary>WAVEFORMATEX's format tag, as ffprobe names the codec (the module's short "pcm" for every PCM).</summary>
    private static string AudioCodec(int format) => format switch
    {
        1 or 3 or 0xFFFE => "pcm", 0x50 => "mp2", 0x55 => "mp3", 0xFF or 0x1600 or 0x706D => "aac", 0x2000 => "ac3", 0x2001 => "dts",
        0x161 or 0x162 or 0x163 => "wma", 0x11 => "adpcm_ima_wav", 0x02 => "adpcm_ms", 6 => "pcm_alaw", 7 => "pcm_mulaw",
        _ => $"0x{format:X4}",
    };

    /// <summary>The chunks in b[start..end): a LIST is named "LIST:" and its type, its content after the type.</summary>
    private static IEnumerable<(string Id, int Start, int End)> Chunks(byte[] b, int start, int end)
    {
        var pos = start;
        while (pos + 8 <= end)
        {
            var size = U32(b, pos + 4);
            if (size > (uint)(end - pos - 8)) size = (uint)(end - pos - 8); // cut: as far as it goes
            var id = Encoding.ASCII.GetString(b, pos, 4);
            if (id == "LIST" && size >= 4) yield return ("LIST:" + Encoding.ASCII.GetString(b, pos + 8, 4), pos + 12, pos + 8 + (int)size);
            else yield return (id, pos + 8, pos + 8 + (int)size);
            pos += 8 + (int)size + (int)(size & 1);
        }
    }

    private static uint U32(byte[] b, int i) => BitConverter.ToUInt32(b, i);

    private static bool Tag(byte[] b, int i, string tag) => b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3];
}
