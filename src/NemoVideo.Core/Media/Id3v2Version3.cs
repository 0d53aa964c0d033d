namespace NemoVideo.Media;

/// <summary>An old tag's frames in ID3v2.3 form, for the writer to carry over.</summary>
internal static class Id3v2Version3
{
    /// <summary>The old tag's frames as ID3v2.3 has them: 2.2 ids widened, 2.4 dates split and UTF-8/UTF-16BE text re-encoded.</summary>
    public static List<Id3v2Frame> Frames(Id3v2Tag tag)
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
                    if (text != null && Id3v2Frames.DatePattern.IsMatch(text.Trim())) result.AddRange(Id3v2Frames.DateFrames(text));
                    continue;
                case "TDOR":
                    var original = Plain(f);
                    if (original is { Length: >= 4 }) result.Add(Id3v2Frames.Text("TORY", original.Substring(0, 4)));
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
        var data = Id3v2Frames.Picture(picture).Data;
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
