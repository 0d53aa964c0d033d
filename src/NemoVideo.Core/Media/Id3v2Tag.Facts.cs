using System.Globalization;

namespace NemoVideo.Media;

/// <summary>What an ID3v2 tag's frames say: tags under ffprobe's names, chapters, the cover.</summary>
internal sealed partial class Id3v2Tag
{
    /// <summary>The tags as ffprobe names them (title, artist, date…; a TXXX under its description, an unknown text frame under its id).</summary>
    public Dictionary<string, string> ReadTags()
    {
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var dates = new Dictionary<string, string>();
        void Add(string key, string value)
        {
            if (!tags.ContainsKey(key)) tags[key] = value; // the first frame wins, as in FFmpeg
        }
        foreach (var f in Frames)
        {
            var id = IdOf(f);
            if (id is null || f.RawFlags != null || f.Data.Length < 1) continue;
            var b = f.Data;
            var pos = 1;
            if (id is "TXXX")
            {
                var description = Id3v2Text.Read(b[0], b, ref pos, b.Length);
                Add(description.Length > 0 ? description : id, Value(b, pos));
            }
            else if (id is "COMM")
            {
                if (b.Length < 4) continue;
                pos = 4; // past the language
                var description = Id3v2Text.Read(b[0], b, ref pos, b.Length);
                Add(description.Length > 0 ? description : "comment", Value(b, pos));
            }
            else if (id[0] == 'T')
            {
                var value = Value(b, 1);
                if (id is "TYER" or "TDAT" or "TIME") { dates[id] = value; continue; }
                if (id == "TCON") value = Id3v2Text.Genre(value);
                Add(Id3v2Text.NameOfFrame.TryGetValue(id, out var name) ? name : id, value);
            }
        }
        // 2.3 keeps the date in three frames: FFmpeg joins them as "YYYY-MM-DD HH:MM" when each is all digits.
        if (dates.TryGetValue("TYER", out var year) && IsDigits(year, 4))
        {
            var date = year;
            if (dates.TryGetValue("TDAT", out var dm) && IsDigits(dm, 4))
            {
                date += "-" + dm.Substring(2, 2) + "-" + dm.Substring(0, 2);
                if (dates.TryGetValue("TIME", out var hm) && IsDigits(hm, 4)) date += " " + hm.Substring(0, 2) + ":" + hm.Substring(2, 2);
            }
            Add("date", date);
        }
        else
        {
            foreach (var d in dates) Add(d.Key, d.Value);
        }
        return tags;

        string Value(byte[] b, int pos) => Id3v2Text.Read(b[0], b, ref pos, b.Length);
    }

    private static bool IsDigits(string s, int count) => s.Length == count && s.All(c => c is >= '0' and <= '9');

    /// <summary>The chapters: in the order of the top-level table of contents when there is one, else by start time.</summary>
    public List<MediaChapter> ReadChapters()
    {
        var chapters = new Dictionary<string, MediaChapter>(StringComparer.Ordinal);
        var tables = new Dictionary<string, (bool TopLevel, List<string> Entries)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var f in Frames)
        {
            var b = f.Data;
            var pos = 0;
            if (f.Id == "CHAP" && f.RawFlags is null)
            {
                var element = Id3v2Text.Read(Id3v2Text.Latin1, b, ref pos, b.Length);
                if (pos + 16 > b.Length || chapters.ContainsKey(element)) continue;
                var start = TimeSpan.FromMilliseconds(BigEndian(b, pos, 4));
                var endMs = BigEndian(b, pos + 4, 4);
                TimeSpan? end = endMs == uint.MaxValue ? null : TimeSpan.FromMilliseconds(endMs);
                if (end < start) end = null;
                chapters[element] = new MediaChapter(start, end, EmbeddedTitle(b, pos + 16));
                order.Add(element);
            }
            else if (f.Id == "CTOC" && f.RawFlags is null)
            {
                var element = Id3v2Text.Read(Id3v2Text.Latin1, b, ref pos, b.Length);
                if (pos + 2 > b.Length) continue;
                var topLevel = (b[pos] & 0x02) != 0;
                var count = b[pos + 1];
                pos += 2;
                var entries = new List<string>();
                for (var i = 0; i < count && pos < b.Length; i++) entries.Add(Id3v2Text.Read(Id3v2Text.Latin1, b, ref pos, b.Length));
                tables[element] = (topLevel, entries);
            }
        }
        if (chapters.Count == 0) return new List<MediaChapter>();
        var root = tables.Values.Where(t => t.TopLevel).Select(t => t.Entries).FirstOrDefault() ?? tables.Values.Select(t => t.Entries).FirstOrDefault();
        if (root is null) return chapters.Values.OrderBy(c => c.Start).ToList();
        // The table's order first (nested tables unfolded), then any chapter it leaves out, by start time.
        var result = new List<MediaChapter>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Unfold(List<string> entries, int depth)
        {
            foreach (var e in entries)
            {
                if (!seen.Add(e)) continue;
                if (chapters.TryGetValue(e, out var c)) result.Add(c);
                else if (depth < 8 && tables.TryGetValue(e, out var t)) Unfold(t.Entries, depth + 1);
            }
        }
        Unfold(root, 0);
        result.AddRange(order.Where(e => !seen.Contains(e)).Select(e => chapters[e]).OrderBy(c => c.Start));
        return result;
    }

    /// <summary>The TIT2 among a CHAP frame's embedded frames.</summary>
    private string? EmbeddedTitle(byte[] b, int pos)
    {
        var embedded = new List<Id3v2Frame>();
        ReadFrames(b, pos, b.Length, Major, 0, false, embedded);
        var title = embedded.FirstOrDefault(e => e.Id == "TIT2" && e.Data.Length > 0);
        if (title is null) return null;
        var at = 1;
        return Id3v2Text.Read(title.Data[0], title.Data, ref at, title.Data.Length);
    }

    /// <summary>The front cover (picture type 3), else the first picture.</summary>
    public CoverPicture? ReadCover()
    {
        CoverPicture? first = null;
        foreach (var f in Frames)
        {
            if (IdOf(f) != "APIC" || f.RawFlags != null || !TryReadPicture(f, out var type, out var picture)) continue;
            if (type == 3) return picture;
            first ??= picture;
        }
        return first;
    }

    /// <summary>An APIC (or 2.2 PIC) frame's picture and type.</summary>
    internal bool TryReadPicture(Id3v2Frame f, out byte type, out CoverPicture picture)
    {
        type = 0;
        picture = null!;
        var b = f.Data;
        if (b.Length < 4) return false;
        var pos = 1;
        string mime;
        if (Major == 2)
        {
            mime = Id3v2Text.Decode(Id3v2Text.Latin1, b, 1, 3).ToUpperInvariant() switch { "PNG" => "image/png", "JPG" => "image/jpeg", var other => other };
            pos = 4;
        }
        else
        {
            mime = Id3v2Text.Read(Id3v2Text.Latin1, b, ref pos, b.Length);
        }
        if (pos >= b.Length) return false;
        type = b[pos++];
        var description = Id3v2Text.Read(b[0], b, ref pos, b.Length);
        var data = new byte[b.Length - pos];
        Buffer.BlockCopy(b, pos, data, 0, data.Length);
        picture = new CoverPicture(MimeOf(mime, data), data, description.Length > 0 ? description : null);
        return true;
    }

    /// <summary>The image's own signature decides; the frame's MIME type ("image/jpg", "JPG", "") only when there is none.</summary>
    private static string MimeOf(string declared, byte[] data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8) return "image/jpeg";
        if (data.Length >= 4 && data[0] == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G') return "image/png";
        return declared.ToLower(CultureInfo.InvariantCulture);
    }
}
