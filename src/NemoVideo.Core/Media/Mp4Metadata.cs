using System.Text;

namespace NemoVideo.Media;

/// <summary>One trak box as read from the index: what it is, and where its sample tables sit in the moov bytes.</summary>
internal sealed class Mp4Track
{
    public uint Id;
    public string? Handler, Fourcc, Language;
    public int? Width, Height, Channels, SampleRate;
    public double Seconds;
    public long Bytes;
    public int ObjectType;
    public uint Timescale;
    public ulong MediaDuration;
    /// <summary>The tracks this one names as its chapter track (tref/chap).</summary>
    public readonly List<uint> ChapterRefs = new();
    public (int Start, int End)? Stts, Stsc, Stsz;
    public (int Start, int End, bool Wide)? ChunkOffsets;
}

/// <summary>
/// The metadata of an MP4/MOV index, under ffprobe's names: iTunes items (moov/udta/meta/ilst) with their cover,
/// QuickTime ©-strings in udta, Nero chapters (chpl) and a QuickTime chapter track (whose few samples are read from mdat).
/// </summary>
internal static class Mp4Metadata
{
    /// <summary>Where what is read goes.</summary>
    public interface ITarget
    {
        Dictionary<string, string> Tags { get; }
        List<MediaChapter> Chapters { get; set; }
        CoverPicture? Cover { get; set; }
    }

    // ffmpeg's names for the items it reads (mov.c), so that our keys are ffprobe's format.tags keys.
    private static readonly Dictionary<string, string> Names = new()
    {
        ["©nam"] = "title", ["©ART"] = "artist", ["©aut"] = "artist", ["aART"] = "album_artist", ["©alb"] = "album", ["©day"] = "date",
        ["©gen"] = "genre", ["©cmt"] = "comment", ["©des"] = "comment", ["©inf"] = "comment", ["©wrt"] = "composer", ["©com"] = "composer",
        ["©too"] = "encoder", ["©swr"] = "encoder", ["©enc"] = "encoder", ["©cpy"] = "copyright", ["cprt"] = "copyright", ["desc"] = "description",
        ["ldes"] = "synopsis", ["©grp"] = "grouping", ["©lyr"] = "lyrics", ["tvsh"] = "show", ["tven"] = "episode_id", ["tvnn"] = "network",
        ["tves"] = "episode_sort", ["tvsn"] = "season_number", ["trkn"] = "track", ["disk"] = "disc", ["cpil"] = "compilation",
        ["pgap"] = "gapless_playback", ["stik"] = "media_type", ["hdvd"] = "hd_video", ["©xyz"] = "location", ["©mak"] = "make",
        ["©mod"] = "model", ["©key"] = "keywords", ["sonm"] = "sort_name", ["soar"] = "sort_artist", ["soaa"] = "sort_album_artist",
        ["soal"] = "sort_album", ["soco"] = "sort_composer", ["©dir"] = "director", ["©prd"] = "producer", ["©st3"] = "subtitle",
    };

    private const int MaxChapters = 1000, MaxSample = 64 * 1024;

    // QuickTime's Macintosh language codes 0-23 as ffmpeg's MOV muxer writes and ffprobe reads them (18 it does not map).
    private static readonly string[] MacLanguages =
        { "eng", "fra", "ger", "ita", "dut", "sve", "spa", "dan", "por", "nor", "heb", "jpn", "ara", "fin", "gre", "ice", "mlt", "tur", "", "chi", "urd", "hin", "tha", "kor" };

    /// <summary>mdhd: the timescale, the length in it, and the language (ISO 639-2 packed in 15 bits, or a Macintosh code below 0x400).</summary>
    public static void ReadMediaHeader(byte[] b, int s, int e, Mp4Track track)
    {
        var v1 = b[s] == 1;
        var at = s + (v1 ? 32 : 20);
        if (at + 2 > e) return;
        track.Timescale = Mp4Reader.U32(b, s + (v1 ? 20 : 12));
        track.MediaDuration = v1 ? Mp4Reader.U64(b, s + 24) : Mp4Reader.U32(b, s + 16);
        var code = b[at] << 8 | b[at + 1];
        track.Language = code < MacLanguages.Length ? (MacLanguages[code].Length > 0 ? MacLanguages[code] : null)
            : code >= 0x400 && code != 0x7FFF ? new string(new[] { (char)((code >> 10 & 31) + 0x60), (char)((code >> 5 & 31) + 0x60), (char)((code & 31) + 0x60) })
            : null;
    }

    /// <summary>mvhd's creation time (seconds since 1904) as ffprobe prints it; null when unset.</summary>
    public static string? CreationTime(byte[] b, int s, int e)
    {
        if (s + 12 > e) return null;
        var seconds = b[s] == 1 ? (long)Mp4Reader.U64(b, s + 4) : Mp4Reader.U32(b, s + 4);
        if (seconds <= 0) return null;
        if (seconds >= 2082844800) seconds -= 2082844800; // to the Unix epoch, as ffmpeg does
        if (seconds > 253402300799) return null;
        return MatroskaReader.Timestamp(new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(seconds));
    }

    /// <summary>moov/udta: meta/ilst items, QuickTime ©-strings, chpl.</summary>
    public static void ReadUserData(byte[] b, int start, int end, ITarget target)
    {
        foreach (var (type, s, e) in Mp4Reader.Children(b, start, end))
        {
            if (type == "meta")
            {
                // An ISO meta is a full box (4 bytes of version and flags); QuickTime's is not.
                var children = e - s >= 8 && Mp4Reader.U32(b, s) == 0 ? s + 4 : s;
                foreach (var (mt, ms, me) in Mp4Reader.Children(b, children, e))
                    if (mt == "ilst") ReadItems(b, ms, me, target);
            }
            else if (type == "chpl" && target.Chapters.Count == 0) target.Chapters = ReadChpl(b, s, e);
            else if (type[0] == '©' && e - s >= 4 && Names.TryGetValue(type, out var key) && !target.Tags.ContainsKey(key))
            {
                // QuickTime: a 16-bit length, a 16-bit language, then the text.
                var size = b[s] << 8 | b[s + 1];
                if (s + 4 + size <= e) target.Tags[key] = Encoding.UTF8.GetString(b, s + 4, size).TrimEnd('\0');
            }
        }
    }

    private static void ReadItems(byte[] b, int start, int end, ITarget target)
    {
        foreach (var (item, s, e) in Mp4Reader.Children(b, start, end))
        {
            string? freeformName = null;
            foreach (var (type, ds, de) in Mp4Reader.Children(b, s, e))
            {
                if (type == "name" && de - ds > 4) freeformName = Encoding.UTF8.GetString(b, ds + 4, de - ds - 4);
                if (type != "data" || de - ds < 8) continue;
                var kind = (int)(Mp4Reader.U32(b, ds) & 0xFFFFFF);
                int at = ds + 8, size = de - ds - 8;
                if (item == "covr")
                {
                    if (target.Cover is null && kind is 13 or 14 && size > 0)
                    {
                        var data = new byte[size];
                        Buffer.BlockCopy(b, at, data, 0, size);
                        target.Cover = new CoverPicture(kind == 14 ? "image/png" : "image/jpeg", data);
                    }
                    continue;
                }
                var key = item == "----" ? freeformName : Names.TryGetValue(item, out var known) ? known : null;
                var value = Value(b, item, kind, at, size);
                if (key != null && value != null) target.Tags[key] = value;
                break;
            }
        }
    }

    private static string? Value(byte[] b, string item, int kind, int at, int size)
    {
        if (item is "trkn" or "disk")
        {
            if (size < 6) return null;
            int current = b[at + 2] << 8 | b[at + 3], total = b[at + 4] << 8 | b[at + 5];
            return total > 0 ? $"{current}/{total}" : current.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        switch (kind)
        {
            case 1: return Encoding.UTF8.GetString(b, at, size);
            case 2: return Encoding.BigEndianUnicode.GetString(b, at, size);
            case 0 or 21 when size is 1 or 2 or 4 or 8:
                long v = (sbyte)b[at];
                for (var i = 1; i < size; i++) v = v << 8 | b[at + i];
                return v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            default: return null;
        }
    }

    /// <summary>Nero chapters: a count, then per chapter a start in 100 ns units and a title; only starts.</summary>
    private static List<MediaChapter> ReadChpl(byte[] b, int s, int e)
    {
        var chapters = new List<MediaChapter>();
        var at = s + 4 + (b[s] != 0 ? 4 : 0);
        if (at >= e) return chapters;
        var count = b[at++];
        for (var i = 0; i < count && at + 9 <= e; i++)
        {
            var start = (long)Mp4Reader.U64(b, at);
            int length = b[at + 8];
            at += 9;
            if (at + length > e || start < 0) break;
            chapters.Add(new MediaChapter(TimeSpan.FromTicks(start), null, Encoding.UTF8.GetString(b, at, length)));
            at += length;
        }
        return chapters;
    }

    /// <summary>
    /// A QuickTime chapter track: each sample is a title (a 16-bit length, then UTF-8 or UTF-16 with a BOM), lasting until
    /// the next sample or the track's end. Only those samples are read, located through stsc, stco/co64 and stsz.
    /// </summary>
    public static List<MediaChapter> ReadChapterTrack(Stream s, long length, byte[] b, Mp4Track t)
    {
        var chapters = new List<MediaChapter>();
        if (t.Timescale == 0 || t.Stts is not var (ttsStart, ttsEnd) || t.Stsc is not var (scStart, scEnd)
            || t.Stsz is not var (szStart, szEnd) || t.ChunkOffsets is not var (coStart, coEnd, wide)) return chapters;

        // Sample times from stts.
        var times = new List<ulong>();
        ulong time = 0;
        var entries = Mp4Reader.U32(b, ttsStart + 4);
        for (var i = 0; i < entries && ttsStart + 8 + i * 8 + 8 <= ttsEnd && times.Count < MaxChapters; i++)
        {
            var count = Mp4Reader.U32(b, ttsStart + 8 + i * 8);
            var delta = Mp4Reader.U32(b, ttsStart + 12 + i * 8);
            for (var k = 0; k < count && times.Count < MaxChapters; k++) { times.Add(time); time += delta; }
        }
        // Sample offsets: chunk by chunk, as stsc lays samples into chunks.
        var fixedSize = Mp4Reader.U32(b, szStart + 4);
        var sampleCount = (int)Math.Min(Mp4Reader.U32(b, szStart + 8), MaxChapters);
        uint Size(int i) => fixedSize != 0 ? fixedSize : szStart + 12 + i * 4 + 4 <= szEnd ? Mp4Reader.U32(b, szStart + 12 + i * 4) : 0;
        var chunkCount = Mp4Reader.U32(b, coStart + 4);
        long Chunk(int i) => wide ? (coStart + 8 + i * 8 + 8 <= coEnd ? (long)Mp4Reader.U64(b, coStart + 8 + i * 8) : -1)
            : coStart + 8 + i * 4 + 4 <= coEnd ? Mp4Reader.U32(b, coStart + 8 + i * 4) : -1;
        var runs = (int)Mp4Reader.U32(b, scStart + 4);
        var offsets = new List<(long Offset, uint Size)>();
        var sample = 0;
        for (var r = 0; r < runs && scStart + 8 + r * 12 + 12 <= scEnd && sample < sampleCount; r++)
        {
            var firstChunk = (int)Mp4Reader.U32(b, scStart + 8 + r * 12) - 1;
            if (firstChunk < 0) break;
            var perChunk = Mp4Reader.U32(b, scStart + 12 + r * 12);
            var nextFirst = r + 1 < runs && scStart + 8 + (r + 1) * 12 + 4 <= scEnd ? (int)Mp4Reader.U32(b, scStart + 8 + (r + 1) * 12) - 1 : (int)chunkCount;
            for (var c = firstChunk; c < nextFirst && c < chunkCount && sample < sampleCount; c++)
            {
                var offset = Chunk(c);
                if (offset < 0) break; // past the table: a damaged index
                for (var k = 0; k < perChunk && sample < sampleCount; k++, sample++)
                {
                    offsets.Add((offset, Size(sample)));
                    offset += Size(sample);
                }
            }
        }

        var buffer = new byte[MaxSample];
        for (var i = 0; i < offsets.Count && i < times.Count; i++)
        {
            var (offset, size) = offsets[i];
            if (offset < 0 || size < 2 || size > MaxSample || offset + size > length) continue;
            var n = Mp3Reader.ReadAt(s, offset, buffer, (int)size);
            if (n < 2) continue;
            var textLength = buffer[0] << 8 | buffer[1];
            if (textLength > n - 2) continue;
            var title = textLength >= 2 && buffer[2] == 0xFE && buffer[3] == 0xFF ? Encoding.BigEndianUnicode.GetString(buffer, 4, textLength - 2)
                : textLength >= 2 && buffer[2] == 0xFF && buffer[3] == 0xFE ? Encoding.Unicode.GetString(buffer, 4, textLength - 2)
                : Encoding.UTF8.GetString(buffer, 2, textLength);
            var end = i + 1 < times.Count ? times[i + 1] : t.MediaDuration;
            var from = Ticks(times[i], t.Timescale);
            var to = Ticks(end, t.Timescale);
            if (from < TimeSpan.Zero) continue;
            chapters.Add(new MediaChapter(from, to >= from ? to : null, title));
        }
        return chapters;
    }

    private static TimeSpan Ticks(ulong units, uint timescale) => TimeSpan.FromTicks((long)Math.Min(units * 10_000_000.0 / timescale, TimeSpan.MaxValue.Ticks));
}
