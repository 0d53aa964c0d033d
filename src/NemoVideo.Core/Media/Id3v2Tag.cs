using System.IO.Compression;

namespace NemoVideo.Media;

/// <summary>One frame of an ID3v2 tag, its content with unsynchronisation, data-length indicator, grouping and compression undone.</summary>
internal sealed class Id3v2Frame
{
    public Id3v2Frame(string id, byte[] data, byte[]? rawFlags = null)
    {
        Id = id;
        Data = data;
        RawFlags = rawFlags;
    }

    /// <summary>Four letters (three in ID3v2.2).</summary>
    public string Id { get; }
    public byte[] Data { get; }
    /// <summary>An ID3v2.3 frame kept as the file had it (encrypted, so not decoded): its two flag bytes, to write again as they were.</summary>
    public byte[]? RawFlags { get; }
}

/// <summary>
/// The ID3v2 tag at the head of an MP3 (versions 2.2, 2.3 and 2.4): its frames, read from the tag's own bytes only,
/// and what they say under ffprobe's names.
/// </summary>
internal sealed partial class Id3v2Tag
{
    private Id3v2Tag(int major, List<Id3v2Frame> frames, long size, bool truncated)
    {
        Major = major;
        Frames = frames;
        Size = size;
        Truncated = truncated;
    }

    /// <summary>2, 3 or 4.</summary>
    public int Major { get; }
    public IReadOnlyList<Id3v2Frame> Frames { get; }
    /// <summary>The bytes the tag takes at the head of the file: header, frames, padding and footer.</summary>
    public long Size { get; }
    /// <summary>The header claims more bytes than the file has, or a frame runs past the tag.</summary>
    public bool Truncated { get; }
    public string Format => "ID3v2." + Major;

    /// <summary>The tag at <paramref name="offset"/>, or null when there is none there.</summary>
    public static Id3v2Tag? Read(Stream s, long length, long offset = 0)
    {
        var header = new byte[10];
        if (Mp3Reader.ReadAt(s, offset, header, 10) < 10 || header[0] != 'I' || header[1] != 'D' || header[2] != '3') return null;
        var major = header[3];
        var flags = header[5];
        var size = Synchsafe(header, 6);
        var footer = major >= 4 && (flags & 0x10) != 0 ? 10 : 0;
        var available = (int)Math.Max(0, Math.Min(size, length - offset - 10));
        var truncated = 10L + size + footer > length - offset;
        if (major is < 2 or > 4) return new Id3v2Tag(major, new List<Id3v2Frame>(), 10L + size + footer, truncated);
        var body = new byte[available];
        Mp3Reader.ReadAt(s, offset + 10, body, available);
        if (major <= 3 && (flags & 0x80) != 0) body = Resynchronise(body, 0, body.Length);
        var frames = new List<Id3v2Frame>();
        if (!(major == 2 && (flags & 0x40) != 0)) // 2.2's compression bit: no scheme was ever defined, so no frames can be read
            truncated |= ReadFrames(body, 0, body.Length, major, ExtendedHeaderLength(body, major, flags), (flags & 0x80) != 0, frames);
        return new Id3v2Tag(major, frames, 10L + size + footer, truncated);
    }

    private static int ExtendedHeaderLength(byte[] body, int major, byte flags)
    {
        if ((flags & 0x40) == 0 || major < 3 || body.Length < 4) return 0;
        var size = major == 3 ? 4L + BigEndian(body, 0, 4) : Synchsafe(body, 0); // 2.3's size leaves itself out; 2.4's includes itself
        return (int)Math.Min(size, body.Length);
    }

    /// <summary>The frames of <paramref name="b"/> from <paramref name="pos"/> to the padding; true when one runs past <paramref name="end"/>.</summary>
    internal static bool ReadFrames(byte[] b, int pos, int end, int major, int skip, bool tagUnsynchronised, List<Id3v2Frame> frames)
    {
        int idLength = major == 2 ? 3 : 4, headLength = major == 2 ? 6 : 10;
        pos += skip;
        while (pos + headLength <= end && IsFrameId(b, pos, idLength))
        {
            var id = Id3v2Text.Decode(Id3v2Text.Latin1, b, pos, idLength);
            long size = major switch { 2 => BigEndian(b, pos + 3, 3), 3 => BigEndian(b, pos + 4, 4), _ => FrameSize24(b, pos, end) };
            var start = pos + headLength;
            if (start + size > end) return true;
            var content = new byte[size];
            Buffer.BlockCopy(b, start, content, 0, (int)size);
            var frame = major switch
            {
                2 => new Id3v2Frame(id, content),
                3 => Decode23(id, content, b[pos + 8], b[pos + 9]),
                _ => Decode24(id, content, b[pos + 9], tagUnsynchronised),
            };
            if (frame != null) frames.Add(frame);
            pos = start + (int)size;
        }
        return false;
    }

    private static Id3v2Frame? Decode23(string id, byte[] data, byte status, byte format)
    {
        if ((format & 0x40) != 0) return new Id3v2Frame(id, data, new[] { status, format }); // encrypted: kept as it is
        var pos = 0;
        if ((format & 0x80) != 0) pos += 4; // the decompressed size
        if ((format & 0x20) != 0) pos += 1; // the group id
        if (pos > data.Length) return null;
        return new Id3v2Frame(id, (format & 0x80) != 0 ? Inflate(data, pos) : Slice(data, pos));
    }

    private static Id3v2Frame? Decode24(string id, byte[] data, byte format, bool tagUnsynchronised)
    {
        if ((format & 0x04) != 0) return null; // encrypted: its method is in an ENCR frame this reader does not hold
        // Per-frame unsynchronisation covers everything after the frame header, the added bytes too.
        if ((format & 0x02) != 0 || tagUnsynchronised) data = Resynchronise(data, 0, data.Length);
        var pos = 0;
        if ((format & 0x40) != 0) pos += 1; // the group id
        if ((format & 0x01) != 0) pos += 4; // the data length indicator
        if (pos > data.Length) return null;
        return new Id3v2Frame(id, (format & 0x08) != 0 ? Inflate(data, pos) : Slice(data, pos));
    }

    /// <summary>2.4 sizes are synchsafe, but some writers (iTunes among them) put plain ones: take the one the next header confirms.</summary>
    private static long FrameSize24(byte[] b, int pos, int end)
    {
        var plain = BigEndian(b, pos + 4, 4);
        if ((b[pos + 4] | b[pos + 5] | b[pos + 6] | b[pos + 7]) >= 0x80) return plain;
        long safe = Synchsafe(b, pos + 4);
        if (safe == plain) return safe;
        bool Fits(long size) => pos + 10 + size == end || pos + 10 + size + 4 <= end && (b[pos + 10 + size] == 0 || IsFrameId(b, (int)(pos + 10 + size), 4));
        return !Fits(safe) && Fits(plain) ? plain : safe;
    }

    private static bool IsFrameId(byte[] b, int pos, int length)
    {
        for (var i = 0; i < length; i++)
            if (!(b[pos + i] is >= (byte)'A' and <= (byte)'Z' || b[pos + i] is >= (byte)'0' and <= (byte)'9')) return false;
        return true;
    }

    /// <summary>Undoes unsynchronisation: every 0xFF 0x00 becomes 0xFF.</summary>
    internal static byte[] Resynchronise(byte[] b, int start, int count)
    {
        var result = new byte[count];
        var n = 0;
        for (var i = start; i < start + count; i++)
        {
            result[n++] = b[i];
            if (b[i] == 0xFF && i + 1 < start + count && b[i + 1] == 0) i++;
        }
        Array.Resize(ref result, n);
        return result;
    }

    private static byte[] Inflate(byte[] data, int pos)
    {
        try
        {
            using var input = new MemoryStream(data, pos + 2, data.Length - pos - 2); // past the zlib header
            using var inflater = new DeflateStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            inflater.CopyTo(output);
            return output.ToArray();
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException) { return Array.Empty<byte>(); }
    }

    private static byte[] Slice(byte[] b, int pos)
    {
        if (pos == 0) return b;
        var r = new byte[b.Length - pos];
        Buffer.BlockCopy(b, pos, r, 0, r.Length);
        return r;
    }

    internal static int Synchsafe(byte[] b, int i) => (b[i] & 0x7F) << 21 | (b[i + 1] & 0x7F) << 14 | (b[i + 2] & 0x7F) << 7 | (b[i + 3] & 0x7F);

    internal static uint BigEndian(byte[] b, int i, int count)
    {
        uint v = 0;
        for (var k = 0; k < count; k++) v = v << 8 | b[i + k];
        return v;
    }

    /// <summary>The frame's id in ID3v2.3/2.4 form (2.2's three letters mapped; null when 2.2 has no counterpart).</summary>
    internal string? IdOf(Id3v2Frame f) => Major != 2 ? f.Id : Id3v2Text.FromV22.TryGetValue(f.Id, out var id) ? id : null;
}
