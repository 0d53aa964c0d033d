using System.Globalization;
using System.Text.RegularExpressions;

namespace NemoVideo.Media;

/// <summary>The frames of a new ID3v2.3 tag: the old tag's frames in 2.3 form, merged with the changes asked for.</summary>
internal static class Id3v2Frames
{
    internal static readonly Regex DatePattern = new(@"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2}))?)?)?", RegexOptions.CultureInvariant);

    public static List<Id3v2Frame> Merge(Id3v2Tag? tag, Id3Changes changes, TimeSpan audioDuration)
    {
        var frames = tag is null ? new List<Id3v2Frame>() : Id3v2Version3.Frames(tag);
        foreach (var change in changes.Tags) ApplyTag(frames, change.Key, change.Value);

        var chapters = changes.Chapters;
        // A 2.4 tag's CHAP frames embed 2.4 frames: rewritten from what they say rather than carried.
        if (chapters is null && tag is { Major: not 3 } && tag.ReadChapters() is { Count: > 0 } kept) chapters = kept;
        if (chapters != null)
        {
            frames.RemoveAll(f => f.Id is "CHAP" or "CTOC");
            frames.AddRange(ChapterFrames(chapters, audioDuration));
        }

        if (changes.RemoveCover) frames.RemoveAll(f => f.Id == "APIC");
        if (changes.Cover is CoverPicture cover)
        {
            var pictures = frames.Where(f => f.Id == "APIC" && f.RawFlags is null).ToList();
            var front = pictures.FirstOrDefault(f => PictureType(f) == 3) ?? pictures.FirstOrDefault();
            if (front != null) frames.Remove(front);
            frames.Add(Picture(cover));
        }
        // Text first, pictures last: a reader that wants the title finds it in the first bytes.
        return frames.Select((f, i) => (f, i)).OrderBy(x => Rank(x.f.Id)).ThenBy(x => x.i).Select(x => x.f).ToList();
    }

    private static int Rank(string id) => id switch
    {
        "CTOC" => 1, "CHAP" => 2, "APIC" => 4,
        _ when id[0] is 'T' or 'W' || id is "COMM" => 0,
        _ => 3,
    };

    private static byte PictureType(Id3v2Frame f)
    {
        var pos = 1;
        Id3v2Text.Read(Id3v2Text.Latin1, f.Data, ref pos, f.Data.Length);
        return pos < f.Data.Length ? f.Data[pos] : (byte)0;
    }

    /// <summary>One tag set or removed.</summary>
    private static void ApplyTag(List<Id3v2Frame> frames, string key, string? value)
    {
        var empty = string.IsNullOrEmpty(value);
        // FFmpeg reads a TXXX and a described COMM under their description (its own writer puts "comment" in a TXXX): either is this tag.
        frames.RemoveAll(f => f.Id == "TXXX" && string.Equals(Description(f, 1), key, StringComparison.OrdinalIgnoreCase)
            || f.Id == "COMM" && string.Equals(Description(f, 4), key, StringComparison.OrdinalIgnoreCase));
        if (key.Equals("date", StringComparison.OrdinalIgnoreCase))
        {
            frames.RemoveAll(f => f.Id is "TYER" or "TDAT" or "TIME" or "TDRC" or "TDRL");
            if (!empty) frames.AddRange(DateFrames(value!));
        }
        else if (key.Equals("comment", StringComparison.OrdinalIgnoreCase))
        {
            frames.RemoveAll(f => f.Id == "COMM" && Description(f, 4) == "");
            if (!empty) frames.Add(Comment("", value!));
        }
        else if (Id3v2Text.FrameOfName.TryGetValue(key, out var id) || IsTextFrameId(key) && (id = key) != null)
        {
            frames.RemoveAll(f => f.Id == id);
            if (!empty) frames.Add(Text(id, value!));
        }
        else if (!empty)
        {
            frames.Add(UserText(key, value!));
        }
    }

    private static bool IsTextFrameId(string key) => key.Length == 4 && key[0] == 'T' && key != "TXXX" && key.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9');

    private static string? Description(Id3v2Frame f, int at)
    {
        if (f.RawFlags != null || f.Data.Length <= at) return null;
        return Id3v2Text.Read(f.Data[0], f.Data, ref at, f.Data.Length);
    }

    /// <summary>TYER, and TDAT (DDMM) and TIME (HHMM) when the date gives them: ID3v2.3 has no single date frame.</summary>
    /// <summary>A date ID3v2.3 can hold: yyyy, yyyy-MM-dd or yyyy-MM-dd HH:mm.</summary>
    internal static bool IsDate(string value) => DatePattern.IsMatch(value.Trim());

    internal static IEnumerable<Id3v2Frame> DateFrames(string value)
    {
        var m = DatePattern.Match(value.Trim());
        if (!m.Success) throw new ArgumentException($"The date \"{value}\" does not start with a four-digit year (yyyy, yyyy-MM-dd or yyyy-MM-dd HH:mm), all ID3v2.3 can hold.", nameof(value));
        yield return Text("TYER", m.Groups[1].Value);
        if (m.Groups[3].Success) yield return Text("TDAT", m.Groups[3].Value + m.Groups[2].Value);
        if (m.Groups[4].Success) yield return Text("TIME", m.Groups[4].Value + m.Groups[5].Value);
    }

    public static Id3v2Frame Text(string id, string value)
    {
        var b = new List<byte>();
        var encoding = Id3v2Text.EncodingFor(value);
        b.Add(encoding);
        Id3v2Text.Write(b, encoding, value, false);
        return new Id3v2Frame(id, b.ToArray());
    }

    private static Id3v2Frame UserText(string description, string value)
    {
        var b = new List<byte>();
        var encoding = Id3v2Text.EncodingFor(description, value);
        b.Add(encoding);
        Id3v2Text.Write(b, encoding, description, true);
        Id3v2Text.Write(b, encoding, value, false);
        return new Id3v2Frame("TXXX", b.ToArray());
    }

    private static Id3v2Frame Comment(string description, string value)
    {
        var b = new List<byte>();
        var encoding = Id3v2Text.EncodingFor(description, value);
        b.Add(encoding);
        b.AddRange(new[] { (byte)'e', (byte)'n', (byte)'g' });
        Id3v2Text.Write(b, encoding, description, true);
        Id3v2Text.Write(b, encoding, value, false);
        return new Id3v2Frame("COMM", b.ToArray());
    }

    internal static Id3v2Frame Picture(CoverPicture cover)
    {
        var b = new List<byte>(cover.Data.Length + 64);
        var description = cover.Description ?? "";
        var encoding = Id3v2Text.EncodingFor(description);
        b.Add(encoding);
        Id3v2Text.Write(b, Id3v2Text.Latin1, cover.MimeType, true);
        b.Add(3); // front cover
        Id3v2Text.Write(b, encoding, description, true);
        b.AddRange(cover.Data);
        return new Id3v2Frame("APIC", b.ToArray());
    }

    /// <summary>A CTOC (top-level, ordered) naming every chapter, then one CHAP per chapter with its title as an embedded TIT2.</summary>
    private static IEnumerable<Id3v2Frame> ChapterFrames(IReadOnlyList<MediaChapter> chapters, TimeSpan audioDuration)
    {
        if (chapters.Count == 0) yield break;
        if (chapters.Count > 255) throw new ArgumentException($"An ID3v2 table of contents holds at most 255 chapters; {chapters.Count} were given.", nameof(chapters));
        var sorted = chapters.OrderBy(c => c.Start).ToList();
        var toc = new List<byte>();
        Id3v2Text.Write(toc, Id3v2Text.Latin1, "toc", true);
        toc.Add(0x03); // top-level, ordered
        toc.Add((byte)sorted.Count);
        for (var i = 0; i < sorted.Count; i++) Id3v2Text.Write(toc, Id3v2Text.Latin1, "chp" + i.ToString(CultureInfo.InvariantCulture), true);
        yield return new Id3v2Frame("CTOC", toc.ToArray());
        for (var i = 0; i < sorted.Count; i++)
        {
            var c = sorted[i];
            var end = c.End ?? (i + 1 < sorted.Count ? sorted[i + 1].Start : audioDuration);
            if (end < c.Start) end = c.Start;
            var b = new List<byte>();
            Id3v2Text.Write(b, Id3v2Text.Latin1, "chp" + i.ToString(CultureInfo.InvariantCulture), true);
            AppendUInt32(b, Milliseconds(c.Start));
            AppendUInt32(b, Milliseconds(end));
            AppendUInt32(b, uint.MaxValue); // no byte offsets: the times are what players use
            AppendUInt32(b, uint.MaxValue);
            if (!string.IsNullOrEmpty(c.Title)) AppendFrame(b, Text("TIT2", c.Title!));
            yield return new Id3v2Frame("CHAP", b.ToArray());
        }
    }

    private static uint Milliseconds(TimeSpan t) => (uint)Math.Min(uint.MaxValue - 1, Math.Round(t.TotalMilliseconds));

    private static void AppendUInt32(List<byte> b, uint v)
    {
        b.Add((byte)(v >> 24)); b.Add((byte)(v >> 16)); b.Add((byte)(v >> 8)); b.Add((byte)v);
    }

    /// <summary>An ID3v2.3 frame: id, plain 32-bit size, flags, content.</summary>
    public static void AppendFrame(List<byte> to, Id3v2Frame f)
    {
        foreach (var c in f.Id) to.Add((byte)c);
        AppendUInt32(to, (uint)f.Data.Length);
        to.Add(f.RawFlags?[0] ?? 0);
        to.Add(f.RawFlags?[1] ?? 0);
        to.AddRange(f.Data);
    }
}
