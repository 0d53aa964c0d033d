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
        var tracks = new List<Mp4Track>();
        foreach (var (type, start, end) in Children(moov, 0, moov.Length))
        {
            if (type == "mvhd") { facts.MovieSeconds = Duration(moov, start); facts.CreationTime = Mp4Metadata.CreationTime(moov, start, end); }
            else if (type == "trak") tracks.Add(ReadTrack(moov, start, end));
            else if (type == "udta") Mp4Metadata.ReadUserData(moov, start, end, facts);
        }
        // A chapter track (named by tref/chap) holds titles, not the programme: it is neither the video nor an audio track.
        var chapterIds = new HashSet<uint>(tracks.SelectMany(t => t.ChapterRefs));
        foreach (var track in tracks.Where(t => !chapterIds.Contains(t.Id)))
        {
            // Samples the index places past the end of the file: the media data is missing or cut short.
            if (DataEnd(moov, track) > length) facts.Truncated = true;
            if (SttsSeconds(moov, track) is double stts && (track.Seconds <= 0 || stts < track.Seconds)) track.Seconds = stts;
            if (track.Handler == "vide" && facts.VideoCodec is null)
            {
                facts.VideoCodec = VideoCodec(track.Fourcc);
                facts.VideoCodecTag = track.Fourcc;
                facts.Width = track.Width; facts.Height = track.Height; facts.VideoBytes = track.Bytes; facts.VideoSeconds = track.Seconds;
            }
            else if (track.Handler == "soun")
            {
                var codec = AudioCodec(track.Fourcc, track.ObjectType);
                facts.AudioTracks.Add(new AudioTrackFacts { Codec = codec, Language = track.Language, Channels = track.Channels, SampleRate = track.SampleRate });
                if (facts.AudioCodec != null) continue;
                facts.AudioCodec = codec;
                facts.Channels = track.Channels; facts.SampleRate = track.SampleRate; facts.AudioBytes = track.Bytes; facts.AudioSeconds = track.Seconds;
            }
        }
        // ffprobe takes the chapter track's samples over the Nero chpl list when both are there, as ffmpeg writes them.
        if (tracks.FirstOrDefault(t => chapterIds.Contains(t.Id) && t.Handler == "text") is Mp4Track text
            && Mp4Metadata.ReadChapterTrack(s, length, moov, text) is { Count: > 0 } fromTrack)
            facts.Chapters = fromTrack;
        return facts.Build();
    }

    /// <summary>Beyond 32 channels of 32-bit PCM at 192 kHz, or uncompressed 8K at 120 frames a second: a damaged index, not a rate.</summary>
    private const int MaxAudioKbps = 200_000, MaxVideoKbps = 100_000_000;

    private sealed class Builder : Mp4Metadata.ITarget
    {
        public string? Brand;
        public long Length;
        public bool Truncated;
        public double? MovieSeconds;
        public string? VideoCodec, AudioCodec, VideoCodecTag, CreationTime;
        public int? Width, Height, SampleRate, Channels;
        public long VideoBytes, AudioBytes;
        public double VideoSeconds, AudioSeconds;
        public readonly List<AudioTrackFacts> AudioTracks = new();
        public Dictionary<string, string> Tags { get; } = new();
        public List<MediaChapter> Chapters { get; set; } = new();
        public CoverPicture? Cover { get; set; }

        public MediaFacts Build()
        {
            if (CreationTime != null && !Tags.ContainsKey("creation_time")) Tags["creation_time"] = CreationTime;
            return new()
            {
                Container = MediaContainer.Mp4, Brand = Brand, Length = Length, Truncated = Truncated,
                HasVideo = VideoCodec != null, HasAudio = AudioCodec != null, VideoCodec = VideoCodec, AudioCodec = AudioCodec,
                Width = Width, Height = Height, SampleRate = SampleRate, Channels = Channels,
                VideoBitrateKbps = Kbps(VideoBytes, VideoSeconds, MaxVideoKbps), AudioBitrateKbps = Kbps(AudioBytes, AudioSeconds, MaxAudioKbps),
                Duration = Seconds() is double seconds ? TimeSpan.FromSeconds(seconds) : null,
                VideoCodecTag = VideoCodecTag, AudioTracks = AudioTracks, Tags = Tags, Chapters = Chapters, Cover = Cover,
                TagFormat = Tags.Count > 0 || Chapters.Count > 0 || Cover != null ? "MP4" : null,
            };
        }

        /// <summary>
        /// The movie's length (mvhd), unless it is far longer than every track (by mdhd, or their sample times if less, and at a rate that can be): a
        /// damaged or hand-edited header, or one in the wrong timescale, is not the programme's length.
        /// </summary>
        private double? Seconds()
        {
            // A track whose length would make its bytes an impossible rate has a damaged header: its length is not one.
            var tracks = Math.Max(Believable(VideoBytes, VideoSeconds, MaxVideoKbps), Believable(AudioBytes, AudioSeconds, MaxAudioKbps));
            if (MovieSeconds is double m && m > 0 && (tracks <= 0 || m <= tracks * 1.5 + 1)) return m;
            return tracks > 0 ? tracks : null;
        }

        private static double Believable(long bytes, double seconds, int most) => seconds > 0 && bytes * 8 / seconds / 1000 <= most ? seconds : 0;

        /// <summary>A track's bytes over its length; none when it cannot be: more bytes than the file has, or a rate beyond any codec's.</summary>
        private int? Kbps(long bytes, double seconds, int most)
        {
            if (bytes <= 0 || seconds <= 0 || bytes > Length) return null;
            var kbps = Math.Round(bytes * 8 / seconds / 1000);
            return kbps <= most ? (int)kbps : null;
        }
    }

    private static Mp4Track ReadTrack(byte[] b, int start, int end)
    {
        var track = new Mp4Track();
        foreach (var (type, s, e) in Children(b, start, end))
        {
            if (type == "tkhd" && e - s >= 84)
            {
                var v1 = b[s] == 1;
                track.Id = U32(b, s + (v1 ? 20 : 12));
                var at = s + (v1 ? 88 : 76);
                if (at + 8 <= e) { track.Width = (int)(U32(b, at) >> 16); track.Height = (int)(U32(b, at + 4) >> 16); }
            }
            if (type == "tref")
                foreach (var (rt, rs, re) in Children(b, s, e))
                    if (rt == "chap") for (var i = rs; i + 4 <= re; i += 4) track.ChapterRefs.Add(U32(b, i));
            if (type != "mdia") continue;
            foreach (var (mt, ms, me) in Children(b, s, e))
            {
                if (mt == "mdhd") { track.Seconds = Duration(b, ms) ?? 0; Mp4Metadata.ReadMediaHeader(b, ms, me, track); }
                else if (mt == "hdlr" && me - ms >= 12) track.Handler = Encoding.ASCII.GetString(b, ms + 8, 4);
                else if (mt == "minf")
                    foreach (var (st, ss, se) in Children(b, ms, me))
                    {
                        if (st != "stbl") continue;
                        foreach (var (bt, bs, be) in Children(b, ss, se))
                        {
                            if (bt == "stsd" && be - bs >= 16)
                            {
                                var entry = bs + 8;
                                track.Fourcc = Encoding.ASCII.GetString(b, entry + 4, 4);
                                if (entry + 36 <= be && track.Handler == "soun")
                                {
                                    track.Channels = (b[entry + 24] << 8) | b[entry + 25];
                                    track.SampleRate = (int)(U32(b, entry + 32) >> 16);
                                    // QuickTime sound entries of version 1 and 2 carry 16 and 36 more bytes before their children.
                                    var children = entry + 36 + ((b[entry + 16] << 8 | b[entry + 17]) switch { 1 => 16, 2 => 36, _ => 0 });
                                    var (objectType, aac) = Esds(b, children, Math.Min(be, entry + (int)U32(b, entry)));
                                    track.ObjectType = objectType;
                                    if (aac?.Channels is int ac) track.Channels = ac;
                                    if (aac?.SampleRate is int ar) track.SampleRate = ar;
                                }
                            }
                            else if (bt == "stsz" && be - bs >= 12)
                            {
                                track.Stsz = (bs, be);
                                var fixedSize = U32(b, bs + 4);
                                var count = U32(b, bs + 8);
                                if (fixedSize != 0) track.Bytes = (long)fixedSize * count;
                                else for (var i = 0; i < count && bs + 12 + i * 4 + 4 <= be; i++) track.Bytes += U32(b, bs + 12 + i * 4);
                            }
                            else if (bt == "stts") track.Stts = (bs, be);
                            else if (bt == "stsc") track.Stsc = (bs, be);
                            else if (bt == "stco") track.ChunkOffsets = (bs, be, false);
                            else if (bt == "co64") track.ChunkOffsets = (bs, be, true);
                        }
                    }
            }
        }
        return track;
    }

    /// <summary>Where the track's last sample ends, from its chunk offsets (stco/co64), chunk runs (stsc) and sizes (stsz); 0 when not known.</summary>
    private static long DataEnd(byte[] b, Mp4Track t)
    {
        if (t.ChunkOffsets is not var (os, oe, wide) || t.Stsc is not var (cs, ce) || t.Stsz is not var (zs, ze)) return 0;
        if (oe - os < 8 || ce - cs < 8 || ze - zs < 12) return 0;
        var chunks = (int)Math.Min(U32(b, os + 4), (uint)((oe - os - 8) / (wide ? 8 : 4)));
        var runs = (int)Math.Min(U32(b, cs + 4), (uint)((ce - cs - 8) / 12));
        var fixedSize = U32(b, zs + 4);
        var samples = (long)U32(b, zs + 8);
        if (fixedSize == 0) samples = Math.Min(samples, (ze - zs - 12) / 4);
        long end = 0, sample = 0;
        for (var run = 0; run < runs && sample < samples; run++)
        {
            var first = U32(b, cs + 8 + run * 12);
            var perChunk = U32(b, cs + 8 + run * 12 + 4);
            var last = run + 1 < runs ? U32(b, cs + 8 + (run + 1) * 12) : (uint)chunks + 1;
            if (first == 0 || last < first) break;
            for (var chunk = first; chunk < last && chunk <= chunks && sample < samples; chunk++)
            {
                var offset = wide ? (long)U64(b, os + 8 + (int)(chunk - 1) * 8) : U32(b, os + 8 + (int)(chunk - 1) * 4);
                for (var k = 0; k < perChunk && sample < samples; k++, sample++)
                    offset += fixedSize != 0 ? fixedSize : U32(b, zs + 12 + (int)sample * 4);
                end = Math.Max(end, offset);
            }
        }
        return end;
    }

    /// <summary>The track's length by its sample times (stts) over its timescale; null when not known.</summary>
    private static double? SttsSeconds(byte[] b, Mp4Track t)
    {
        if (t.Stts is not var (ss, se) || se - ss < 8 || t.Timescale == 0) return null;
        var entries = Math.Min(U32(b, ss + 4), (uint)((se - ss - 8) / 8));
        double ticks = 0;
        for (var i = 0; i < entries; i++) ticks += (double)U32(b, ss + 8 + i * 8) * U32(b, ss + 12 + i * 8);
        return ticks > 0 ? ticks / t.Timescale : null;
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

    /// <summary>
    /// The objectTypeIndication of an esds box among the sample entry's children (0x40 AAC, 0x69/0x6B MP3), and the
    /// channels and output rate its AAC AudioSpecificConfig gives (ffmpeg's MP4 muxer writes 2 channels in every sample
    /// entry, and an HE-AAC entry carries the core rate; ffprobe reports the config's).
    /// </summary>
    private static (int ObjectType, AacOutput? Aac) Esds(byte[] b, int start, int end)
    {
        foreach (var (type, s, e) in Children(b, start, end))
        {
            if (type != "esds") continue;
            var i = s + 4; // version and flags
            var objectType = 0;
            while (i + 2 < e)
            {
                var tag = b[i++];
                var len = 0;
                for (var k = 0; k < 4 && i < e; k++) { var c = b[i++]; len = (len << 7) | (c & 0x7F); if ((c & 0x80) == 0) break; }
                if (tag == 0x03) { var flags = b[i + 2]; i += 3 + ((flags & 0x80) != 0 ? 2 : 0) + ((flags & 0x20) != 0 ? 2 : 0); if ((flags & 0x40) != 0 && i < e) i += 1 + b[i]; continue; }
                if (tag == 0x04) { if (i >= e) break; objectType = b[i]; i += 13; continue; } // its children follow its 13 fixed bytes
                if (tag == 0x05 && objectType == 0x40 && len >= 2 && i + 2 <= e) return (objectType, AacOutput.Read(b, i, Math.Min(e, i + len)));
                i += len;
            }
            return (objectType, null);
        }
        return (0, null);
    }

    /// <summary>mvhd/mdhd: duration over timescale, for both box versions.</summary>
    internal static double? Duration(byte[] b, int s)
    {
        if (b[s] == 1) { var scale = U32(b, s + 20); return scale == 0 ? null : U64(b, s + 24) / (double)scale; }
        var timescale = U32(b, s + 12);
        var duration = U32(b, s + 16);
        return timescale == 0 || duration == uint.MaxValue ? null : duration / (double)timescale;
    }

    /// <summary>The child boxes of the range: (type, content start, content end).</summary>
    internal static IEnumerable<(string Type, int Start, int End)> Children(byte[] b, int start, int end)
    {
        var pos = start;
        while (pos + 8 <= end)
        {
            long size = U32(b, pos);
            var headerSize = 8;
            if (size == 1 && pos + 16 <= end) { size = (long)U64(b, pos + 8); headerSize = 16; }
            else if (size == 0) size = end - pos;
            if (size < headerSize || pos + size > end) yield break;
            // Byte for char, so that an iTunes key reads as written: 0xA9 is '©'.
            yield return (new string(new[] { (char)b[pos + 4], (char)b[pos + 5], (char)b[pos + 6], (char)b[pos + 7] }), pos + headerSize, (int)(pos + size));
            pos += (int)size;
        }
    }

    internal static uint U32(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);

    internal static ulong U64(byte[] b, int i) => (ulong)U32(b, i) << 32 | U32(b, i + 4);
}
