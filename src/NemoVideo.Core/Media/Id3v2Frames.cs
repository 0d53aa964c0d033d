using System.Globalization;
using System.Text.RegularExpressions;

namespace NemoVideo.Media;

/// <summary>The frames of a new ID3v2.3 tag: the old tag's frames in 2.3 form, merged with the changes asked for.</summary>
internal static class Id3v2Frames
{
    private static readonly Regex DatePattern = new(@"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2}))?)?)?", RegexOptions.CultureInvariant);

    public static List<Id3v2Frame> Merge(Id3v2Tag? tag, Id3Changes changes, TimeSpan audioDuration)
    {
        var frames = tag is null ? new List<Id3v2Frame>() : ToVersion3(tag);
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
    private static IEnumerable<Id3v2Frame> DateFrames(string value)
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

    private static Id3v2Frame Picture(CoverPicture cover)
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

    /// <summary>The old tag's frames as ID3v2.3 has them: 2.2 ids widened, 2.4 dates split and UTF-8/UTF-16BE text re-encoded.</summary>
    private static List<Id3v2Frame> ToVersion3(Id3v2Tag tag)
    {
        var result = new List<Id3v2Frame>();
        foreach (var f in tag.Frames)
        {
            if (tag.Major == 3) { result.Add(f); continue; }
            if (tag.Major == 2)
            {
                if (tag.IdOf(f) is not string id) continue; // 2.2 frames without a 2.3 counterpart
                if (id == "APIC" && tag.TryReadPicture(f, out var type, out var picture))
                {
                    result.Add(new Id3v2Frame("APIC", PictureOfType(picture, type)));
                }
                else if (id != "APIC") result.Add(new Id3v2Frame(id, f.Data));
                continue;
            }
            switch (f.Id)
            {
                case "SEEK" or "ASPI" or "CHAP" or "CTOC": continue; // byte offsets into a file that changes; chapters are rewritten
                case "TDRC":
                    var text = Plain(f);
                    if (text != null && DatePattern.IsMatch(text.Trim())) result.AddRange(DateFrames(text));
                    continue;
                case "TDOR":
                    var original = Plain(f);
                    if (original is { Length: >= 4 }) result.Add(Text("TORY", original.Substring(0, 4)));
                    continue;
            }
            var id4 = f.Id == "TIPL" ? "IPLS" : f.Id;
            if (f.RawFlags != null || f.Data.Length == 0 || f.Data[0] < 2) { result.Add(new Id3v2Frame(id4, f.Data, f.RawFlags)); continue; }
            if (Reencoded(id4, f.Data) is byte[] data) result.Add(new Id3v2Frame(id4, data));
        }
        return result;
    }

    private static byte[] PictureOfType(CoverPicture picture, byte type)
    {
        var data = Picture(picture).Data;
        var pos = 1;
        Id3v2Text.Read(Id3v2Text.Latin1, data, ref pos, data.Length);
        data[pos] = type;
        return data;
    }

    private static string? Plain(Id3v2Frame f)
    {
        if (f.Data.Length < 1) return null;
        var pos = 1;
        return Id3v2Text.Read(f.Data[0], f.Data, ref pos, f.Data.Length);
    }

    /// <summary>A 2.4 frame in UTF-8 or UTF-16BE as 2.3 text (ISO-8859-1 or UTF-16 with BOM); null for a layout this writer does not know.</summary>
    private static byte[]? Reencoded(string id, byte[] b)
    {
        var e = b[0];
        var pos = 1;
        var to = new List<byte>();
        string Rest() => Id3v2Text.Decode(e, b, pos, b.Length - pos).TrimEnd('\0');
        switch (id)
        {
            case "TXXX":
            {
                var description = Id3v2Text.Read(e, b, ref pos, b.Length);
                var value = Rest();
                var encoding = Id3v2Text.EncodingFor(description, value);
                to.Add(encoding);
                Id3v2Text.Write(to, encoding, description, true);
                Id3v2Text.Write(to, encoding, value, false);
                return to.ToArray();
            }
            case "WXXX":
            {
                var description = Id3v2Text.Read(e, b, ref pos, b.Length);
                var encoding = Id3v2Text.EncodingFor(description);
                to.Add(encoding);
                Id3v2Text.Write(to, encoding, description, true);
                for (var i = pos; i < b.Length; i++) to.Add(b[i]); // the URL is ISO-8859-1 in every version
                return to.ToArray();
            }
            case "COMM" or "USLT":
            {
                if (b.Length < 4) return null;
                pos = 4;
                var description = Id3v2Text.Read(e, b, ref pos, b.Length);
                var value = Rest();
                var encoding = Id3v2Text.EncodingFor(description, value);
                to.Add(encoding);
                to.Add(b[1]); to.Add(b[2]); to.Add(b[3]);
                Id3v2Text.Write(to, encoding, description, true);
                Id3v2Text.Write(to, encoding, value, false);
                return to.ToArray();
            }
            case "APIC":
            {
                var mime = Id3v2Text.Read(Id3v2Text.Latin1, b, ref pos, b.Length);
                if (pos >= b.Length) return null;
                var type = b[pos++];
                var description = Id3v2Text.Read(e, b, ref pos, b.Length);
                var encoding = Id3v2Text.EncodingFor(description);
                to.Add(encoding);
                Id3v2Text.Write(to, Id3v2Text.Latin1, mime, true);
                to.Add(type);
                Id3v2Text.Write(to, encoding, description, true);
                for (var i = pos; i < b.Length; i++) to.Add(b[i]);
                return to.ToArray();
            }
            case "IPLS":
            case var t when t[0] == 'T':
            {
                var value = Rest();
                var encoding = Id3v2Text.EncodingFor(value);
                to.Add(encoding);
                Id3v2Text.Write(to, encoding, value, false);
                return to.ToArray();
            }
            default:
                return null; // GEOB, SYLT, USER, OWNE, COMR… in an encoding 2.3 lacks
        }
    }
}
