namespace NemoVideo.Media;

/// <summary>What to change in an MP3's ID3v2 tag; anything not named is kept as the file has it.</summary>
public sealed class Id3Changes
{
    /// <summary>
    /// ffprobe's names (title, artist, album, album_artist, date, genre, comment, track, composer, publisher, copyright,
    /// encoder…), case-insensitive; a null or empty value removes the tag. Any other name is written as a TXXX frame
    /// with the name as its description (an upper-case text frame id such as TBPM as that frame).
    /// </summary>
    public IDictionary<string, string?> Tags { get; } = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>null keeps the file's chapters; an empty list removes them. A chapter without End ends where the next starts, the last at the end of the audio.</summary>
    public IReadOnlyList<MediaChapter>? Chapters { get; set; }

    /// <summary>null keeps the file's cover; set it to replace it (written as APIC, type 3 front cover; other pictures are kept).</summary>
    public CoverPicture? Cover { get; set; }

    /// <summary>Removes every picture of the tag (front cover and any other).</summary>
    public bool RemoveCover { get; set; }

    /// <summary>
    /// Applies ID3v2.3 unsynchronisation to the whole tag (frame sizes those of the frames before it, as §3.3 and §5 say).
    /// Off by default: it is only for players that do not know ID3v2 (§5), FFmpeg never writes it, and FFmpeg 5.1 misreads
    /// the end of any 2.3 frame that holds a stuffed byte (it takes the size as the unsynchronised one).
    /// </summary>
    public bool Unsynchronise { get; set; }
}

/// <summary>
/// Writes an MP3's ID3v2 tag (tags, chapters as CHAP frames under a CTOC, a front cover as APIC) at the head of the
/// file, copying every byte after the old tag unchanged: the audio frames and any ID3v1/APEv2 trailer.
/// Writes ID3v2.3: the version Windows Explorer and Media Player, iTunes/Apple Podcasts and podcast directories all read (Explorer reads 2.4 only in part).
/// </summary>
public static class Id3v2Writer
{
    private const int Chunk = 1 << 20;
    /// <summary>Room left after the frames, so that a later edit can be made in place.</summary>
    internal const int Padding = 2048;

    /// <summary>
    /// Reads the MP3 in <paramref name="source"/> (seekable), writes to <paramref name="destination"/>: one new ID3v2
    /// tag (the existing tag's frames merged with <paramref name="changes"/>), then every byte of <paramref name="source"/>
    /// after its ID3v2 tag(s) copied unchanged. Throws <see cref="InvalidDataException"/> for a file that is not an MP3
    /// or is cut short (a tag claiming more bytes than the file has, or audio whose last frame is cut, or fewer frames
    /// than its Xing header promises).
    /// </summary>
    public static void Write(Stream source, Stream destination, Id3Changes changes, CancellationToken ct = default)
    {
        if (changes is null) throw new ArgumentNullException(nameof(changes));
        var (tag, audioStart, facts) = ReadSource(source);
        ct.ThrowIfCancellationRequested();
        var frames = Id3v2Frames.Merge(tag, changes, facts.Duration ?? TimeSpan.Zero);
        var tagBytes = Assemble(frames, Padding, changes.Unsynchronise, null)!;
        destination.Write(tagBytes, 0, tagBytes.Length);
        var buffer = new byte[Chunk];
        var length = source.Length;
        source.Position = audioStart;
        for (var pos = audioStart; pos < length;)
        {
            ct.ThrowIfCancellationRequested();
            var n = source.Read(buffer, 0, (int)Math.Min(Chunk, length - pos));
            if (n == 0) throw new EndOfStreamException("The source MP3 got shorter while it was being copied.");
            destination.Write(buffer, 0, n);
            pos += n;
        }
        destination.Flush();
    }

    /// <summary>
    /// The same in place, when the new tag fits in the room the old one had (its size plus padding): returns true and
    /// only the tag bytes change; else false and the file is untouched. Throws as <see cref="Write"/> does.
    /// </summary>
    public static bool TryWriteInPlace(Stream file, Id3Changes changes)
    {
        if (changes is null) throw new ArgumentNullException(nameof(changes));
        var (tag, audioStart, facts) = ReadSource(file);
        if (tag is null || audioStart < 10) return false;
        var frames = Id3v2Frames.Merge(tag, changes, facts.Duration ?? TimeSpan.Zero);
        var bytes = Assemble(frames, 0, changes.Unsynchronise, audioStart);
        if (bytes is null) return false;
        file.Position = 0;
        file.Write(bytes, 0, bytes.Length);
        file.Flush();
        return true;
    }

    /// <summary>The source's tag, where its audio starts, and its audio facts; refuses what is not a whole MP3.</summary>
    private static (Id3v2Tag?, long, MediaFacts) ReadSource(Stream s)
    {
        if (s is null) throw new ArgumentNullException(nameof(s));
        if (!s.CanSeek || !s.CanRead) throw new ArgumentException("The MP3 must be a readable, seekable stream.", nameof(s));
        var length = s.Length;
        var tag = Id3v2Tag.Read(s, length);
        if (tag != null && tag.Size > length)
            throw new InvalidDataException($"The MP3 is cut short: its ID3v2 tag claims {tag.Size} bytes and the file has only {length}.");
        var facts = Mp3Reader.TryRead(s, length);
        if (facts is null)
            throw new InvalidDataException($"This is not an MP3: it is {MediaInspector.Inspect(s, length).Describe()}.");
        if (facts.Truncated)
            throw new InvalidDataException("The MP3 is cut short: its last audio frame is incomplete or it has fewer frames than its header promises.");
        if (tag != null && tag.Major is < 2 or > 4)
            throw new InvalidDataException($"The MP3's tag is ID3v2.{tag.Major}, a version this writer does not know; nothing was written.");
        return (tag, Mp3Reader.SkipId3v2(s), facts);
    }

    /// <summary>
    /// The whole tag: header, frames, then <paramref name="padding"/> zero bytes, or, given <paramref name="room"/>,
    /// exactly that many bytes (null when the frames do not fit).
    /// </summary>
    private static byte[]? Assemble(List<Id3v2Frame> frames, int padding, bool unsynchronise, long? room)
    {
        var body = new List<byte>();
        foreach (var f in frames) Id3v2Frames.AppendFrame(body, f);
        var content = body.ToArray();
        if (unsynchronise) content = Unsynchronise(content);
        var total = room ?? 10L + content.Length + padding;
        if (10L + content.Length > total) return null;
        if (total - 10 > 0x0FFFFFFF) throw new InvalidDataException("The ID3v2 tag would pass 256 MB, the most its header can state.");
        var tag = new byte[total];
        tag[0] = (byte)'I'; tag[1] = (byte)'D'; tag[2] = (byte)'3'; tag[3] = 3; tag[4] = 0;
        tag[5] = (byte)(unsynchronise ? 0x80 : 0);
        var size = (int)(total - 10);
        tag[6] = (byte)(size >> 21 & 0x7F); tag[7] = (byte)(size >> 14 & 0x7F); tag[8] = (byte)(size >> 7 & 0x7F); tag[9] = (byte)(size & 0x7F);
        Buffer.BlockCopy(content, 0, tag, 10, content.Length);
        return tag;
    }

    /// <summary>ID3v2.3 §5: a 0x00 after every 0xFF that a byte of 0xE0 or more (a false frame sync) or 0x00 follows, and after a final 0xFF.</summary>
    internal static byte[] Unsynchronise(byte[] b)
    {
        var result = new List<byte>(b.Length + b.Length / 64);
        for (var i = 0; i < b.Length; i++)
        {
            result.Add(b[i]);
            if (b[i] == 0xFF && (i + 1 == b.Length || b[i + 1] >= 0xE0 || b[i + 1] == 0)) result.Add(0);
        }
        return result.ToArray();
    }
}
