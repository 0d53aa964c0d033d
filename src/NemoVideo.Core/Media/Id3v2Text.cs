using System.Text;

namespace NemoVideo.Media;

/// <summary>ID3v2 strings in their four encodings, and the frame ids behind ffprobe's tag names.</summary>
internal static class Id3v2Text
{
    public const byte Latin1 = 0, Utf16Bom = 1, Utf16BE = 2, Utf8 = 3;

    private static readonly Encoding Utf16LE = new UnicodeEncoding(false, false), Utf16Big = new UnicodeEncoding(true, false);

    /// <summary>ffprobe's name for each text frame (the names FFmpeg's ID3v2 reader gives, for every version).</summary>
    public static readonly IReadOnlyDictionary<string, string> NameOfFrame = new Dictionary<string, string>
    {
        ["TALB"] = "album", ["TCOM"] = "composer", ["TCON"] = "genre", ["TCOP"] = "copyright", ["TENC"] = "encoded_by",
        ["TIT2"] = "title", ["TLAN"] = "language", ["TPE1"] = "artist", ["TPE2"] = "album_artist", ["TPE3"] = "performer",
        ["TPOS"] = "disc", ["TPUB"] = "publisher", ["TRCK"] = "track", ["TSSE"] = "encoder",
        ["TCMP"] = "compilation", ["TDRC"] = "date", ["TDRL"] = "date", ["TDEN"] = "creation_time", ["TSOA"] = "album-sort",
        ["TSOP"] = "artist-sort", ["TSOT"] = "title-sort", ["TIT1"] = "grouping",
    };

    /// <summary>The text frame each name is written as (date and comment are written by the writer itself).</summary>
    public static readonly IReadOnlyDictionary<string, string> FrameOfName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["title"] = "TIT2", ["artist"] = "TPE1", ["album"] = "TALB", ["album_artist"] = "TPE2", ["genre"] = "TCON",
        ["track"] = "TRCK", ["composer"] = "TCOM", ["publisher"] = "TPUB", ["copyright"] = "TCOP", ["encoder"] = "TSSE",
        ["encoded_by"] = "TENC", ["performer"] = "TPE3", ["disc"] = "TPOS", ["language"] = "TLAN", ["grouping"] = "TIT1",
        ["compilation"] = "TCMP", ["album-sort"] = "TSOA", ["artist-sort"] = "TSOP", ["title-sort"] = "TSOT",
    };

    /// <summary>ID3v2.2's three-letter ids as the four-letter ids of 2.3.</summary>
    public static readonly IReadOnlyDictionary<string, string> FromV22 = new Dictionary<string, string>
    {
        ["TT1"] = "TIT1", ["TT2"] = "TIT2", ["TT3"] = "TIT3", ["TP1"] = "TPE1", ["TP2"] = "TPE2", ["TP3"] = "TPE3", ["TP4"] = "TPE4",
        ["TAL"] = "TALB", ["TYE"] = "TYER", ["TDA"] = "TDAT", ["TIM"] = "TIME", ["TCO"] = "TCON", ["TRK"] = "TRCK", ["TPA"] = "TPOS",
        ["TCM"] = "TCOM", ["TCR"] = "TCOP", ["TEN"] = "TENC", ["TSS"] = "TSSE", ["TPB"] = "TPUB", ["TLA"] = "TLAN", ["TBP"] = "TBPM",
        ["TCP"] = "TCMP", ["TXX"] = "TXXX", ["COM"] = "COMM", ["ULT"] = "USLT", ["PIC"] = "APIC", ["WXX"] = "WXXX",
    };

    /// <summary>The ID3v1 genres a TCON of "(n)" or "n" refers to, as FFmpeg spells them.</summary>
    private static readonly string[] Genres =
    {
        "Blues", "Classic Rock", "Country", "Dance", "Disco", "Funk", "Grunge", "Hip-Hop", "Jazz", "Metal", "New Age", "Oldies",
        "Other", "Pop", "R&B", "Rap", "Reggae", "Rock", "Techno", "Industrial", "Alternative", "Ska", "Death Metal", "Pranks",
        "Soundtrack", "Euro-Techno", "Ambient", "Trip-Hop", "Vocal", "Jazz+Funk", "Fusion", "Trance", "Classical", "Instrumental",
        "Acid", "House", "Game", "Sound Clip", "Gospel", "Noise", "AlternRock", "Bass", "Soul", "Punk", "Space", "Meditative",
        "Instrumental Pop", "Instrumental Rock", "Ethnic", "Gothic", "Darkwave", "Techno-Industrial", "Electronic", "Pop-Folk",
        "Eurodance", "Dream", "Southern Rock", "Comedy", "Cult", "Gangsta", "Top 40", "Christian Rap", "Pop/Funk", "Jungle",
        "Native American", "Cabaret", "New Wave", "Psychadelic", "Rave", "Showtunes", "Trailer", "Lo-Fi", "Tribal", "Acid Punk",
        "Acid Jazz", "Polka", "Retro", "Musical", "Rock & Roll", "Hard Rock",
    };

    /// <summary>A TCON value as a genre name: "(17)" and "17" are Rock; anything else as written.</summary>
    public static string Genre(string value)
    {
        var digits = value.StartsWith("(", StringComparison.Ordinal) ? value.Substring(1) : value;
        var n = 0;
        var i = 0;
        while (i < digits.Length && i < 3 && char.IsDigit(digits[i])) n = n * 10 + (digits[i++] - '0');
        var closed = !value.StartsWith("(", StringComparison.Ordinal) || (i < digits.Length && digits[i] == ')');
        return i > 0 && closed && n < Genres.Length ? Genres[n] : value;
    }

    /// <summary>The string at <paramref name="pos"/> up to its terminator (or <paramref name="end"/>); <paramref name="pos"/> moves past the terminator.</summary>
    public static string Read(byte encoding, byte[] b, ref int pos, int end)
    {
        var wide = encoding is Utf16Bom or Utf16BE;
        var stop = pos;
        if (wide)
        {
            while (stop + 1 < end && !(b[stop] == 0 && b[stop + 1] == 0)) stop += 2;
            if (stop + 1 >= end) stop = end;
        }
        else
        {
            while (stop < end && b[stop] != 0) stop++;
        }
        var text = Decode(encoding, b, pos, stop - pos);
        pos = Math.Min(end, stop + (wide ? 2 : 1));
        return text;
    }

    /// <summary>The whole of <paramref name="count"/> bytes as text, in the frame's encoding.</summary>
    public static string Decode(byte encoding, byte[] b, int start, int count)
    {
        if (count <= 0) return "";
        switch (encoding)
        {
            case Utf16Bom:
                if (count >= 2 && b[start] == 0xFE && b[start + 1] == 0xFF) return Utf16Big.GetString(b, start + 2, (count - 2) & ~1);
                if (count >= 2 && b[start] == 0xFF && b[start + 1] == 0xFE) return Utf16LE.GetString(b, start + 2, (count - 2) & ~1);
                return Utf16LE.GetString(b, start, count & ~1); // no BOM: little-endian, as Windows writers mean it
            case Utf16BE:
                return Utf16Big.GetString(b, start, count & ~1);
            case Utf8:
                return Encoding.UTF8.GetString(b, start, count);
            default:
                var chars = new char[count];
                for (var i = 0; i < count; i++) chars[i] = (char)b[start + i];
                return new string(chars);
        }
    }

    /// <summary>ISO-8859-1 when every character fits, else UTF-16 with a BOM: the two encodings ID3v2.3 knows.</summary>
    public static byte EncodingFor(params string?[] texts)
    {
        foreach (var t in texts)
            if (t != null)
                foreach (var c in t)
                    if (c > 0xFF) return Utf16Bom;
        return Latin1;
    }

    /// <summary>The bytes of <paramref name="text"/> in <paramref name="encoding"/> (0 or 1), with a terminator when asked.</summary>
    public static void Write(List<byte> to, byte encoding, string text, bool terminate)
    {
        if (encoding == Utf16Bom)
        {
            to.Add(0xFF);
            to.Add(0xFE);
            to.AddRange(Utf16LE.GetBytes(text));
            if (terminate) { to.Add(0); to.Add(0); }
        }
        else
        {
            foreach (var c in text) to.Add(c <= 0xFF ? (byte)c : (byte)'?');
            if (terminate) to.Add(0);
        }
    }
}
