using System.Globalization;
using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// Reads a Matroska or WebM file by walking its EBML elements: the header's doc type, then the Segment's top-level
/// elements up to the first Cluster, and those the SeekHeads point to wherever they are (ffmpeg writes Tags after the
/// clusters). Cluster contents are never read; an element of unknown size (a live or piped recording) ends the walk.
/// </summary>
internal static class MatroskaReader
{
    // Element ids, with their length markers, as the Matroska specification numbers them.
    private const uint Ebml = 0x1A45DFA3, DocType = 0x4282, Segment = 0x18538067, SeekHead = 0x114D9B74, Seek = 0x4DBB,
        SeekId = 0x53AB, SeekPosition = 0x53AC, Info = 0x1549A966, Tracks = 0x1654AE6B, Chapters = 0x1043A770,
        Tags = 0x1254C367, Attachments = 0x1941A469, Cluster = 0x1F43B675;

    /// <summary>Most any metadata element may take; a cover over this is not one to load.</summary>
    private const int MaxElement = 16 * 1024 * 1024;

    public static MediaFacts Read(Stream s, long length)
    {
        var facts = new MatroskaFacts { Length = length };
        var header = new byte[12];
        if (!TryHeader(s, 0, length, header, out var id, out var dataStart, out var size) || id != Ebml) return facts.Build();
        var ebml = ReadData(s, dataStart, size, length, 4096);
        if (ebml != null)
            foreach (var e in Children(ebml, 0, ebml.Length))
                if (e.Id == DocType) facts.Brand = Utf8(ebml, e);
        if (size is null) return facts.Build();

        var pos = dataStart + size.Value;
        if (!TryHeader(s, pos, length, header, out id, out var segmentStart, out var segmentSize) || id != Segment) return facts.Build();
        var segmentEnd = segmentSize is long n ? Math.Min(length, segmentStart + n) : length;

        var pending = new List<(long Position, uint Id)>();
        var done = new HashSet<long>();
        // A segment that says it is longer than the file was cut short (a copy or download that did not finish).
        if (segmentSize is long declared && segmentStart + declared > length) facts.Truncated = true;
        pos = segmentStart;
        long firstCluster = -1;
        // The top level in file order, up to the first cluster (whatever follows it is reached through the SeekHead).
        while (pos < segmentEnd && TryHeader(s, pos, segmentEnd, header, out id, out var start, out size))
        {
            if (id == Cluster) { firstCluster = pos; break; }
            done.Add(pos);
            Element(s, id, start, size, length, segmentStart, facts, pending);
            if (size is null) break; // an unknown-size element other than a cluster: its end cannot be told
            pos = start + size.Value;
        }
        // The elements the SeekHeads name, once each; a SeekHead may name another SeekHead.
        for (var i = 0; i < pending.Count && i < 64; i++)
        {
            var (at, wanted) = pending[i];
            if (!done.Add(at) || at >= length) continue;
            if (TryHeader(s, at, length, header, out id, out var start, out size) && id == wanted)
                Element(s, id, start, size, length, segmentStart, facts, pending);
        }
        if (firstCluster >= 0 && (facts.Truncated || segmentSize is null)) ReadClusters(s, firstCluster, length, facts);
        return facts.Build();
    }

    /// <summary>
    /// The clusters' headers, one after another (their blocks are not read), when the segment is cut or of unknown size:
    /// a cluster that runs past the file's end means the file was cut, and the length is then what the clusters hold,
    /// not what the header promised.
    /// </summary>
    private static void ReadClusters(Stream s, long pos, long length, MatroskaFacts facts)
    {
        var header = new byte[12];
        var head = new byte[32];
        ulong? last = null;
        while (pos < length && TryHeader(s, pos, length, header, out var id, out var start, out var size))
        {
            if (id == Cluster)
            {
                // The cluster's Timestamp is its first child, after a CRC-32 or Void (ffmpeg writes a CRC-32 first).
                var n = Mp3Reader.ReadAt(s, start, head, (int)Math.Min(head.Length, length - start));
                foreach (var e in Children(head, 0, n))
                {
                    if (e.Id is 0xBF or 0xEC) continue;
                    if (e.Id == 0xE7 && e.End - e.Start <= 8) last = UInt(head, e);
                    break;
                }
            }
            if (size is not long known) break; // a live recording's cluster of unknown size: its end cannot be told
            if (start + known > length) { facts.Truncated = true; break; }
            pos = start + known;
        }
        if (facts.Truncated && last is ulong t && t * (double)facts.TimestampScale is var ns && (facts.DurationNs is null || ns < facts.DurationNs))
            facts.DurationNs = ns;
    }

    private static void Element(Stream s, uint id, long start, long? size, long length, long segmentStart, MatroskaFacts facts, List<(long, uint)> pending)
    {
        switch (id)
        {
            case SeekHead:
                if (ReadData(s, start, size, length, MaxElement) is byte[] seekHead) ReadSeekHead(seekHead, segmentStart, pending);
                break;
            case Info:
                if (ReadData(s, start, size, length, MaxElement) is byte[] info) MatroskaElements.ReadInfo(info, facts);
                break;
            case Tracks:
                if (size is long n && start + n > length) facts.Truncated = true; // the track list itself is cut: clearly a cut file
                if (ReadData(s, start, size, length, MaxElement) is byte[] tracks) MatroskaElements.ReadTracks(tracks, facts);
                break;
            case Chapters:
                if (ReadData(s, start, size, length, MaxElement) is byte[] chapters) MatroskaElements.ReadChapters(chapters, facts);
                break;
            case Tags:
                if (ReadData(s, start, size, length, MaxElement) is byte[] tags) MatroskaElements.ReadTags(tags, facts);
                break;
            case Attachments:
                ReadAttachments(s, start, size is long a ? Math.Min(length, start + a) : length, length, facts);
                break;
        }
    }

    private static void ReadSeekHead(byte[] b, long segmentStart, List<(long, uint)> pending)
    {
        foreach (var seek in Children(b, 0, b.Length))
        {
            if (seek.Id != Seek) continue;
            uint target = 0;
            long? position = null;
            foreach (var e in Children(b, seek.Start, seek.End))
            {
                if (e.Id == SeekId) target = (uint)UInt(b, e);
                else if (e.Id == SeekPosition) position = (long)UInt(b, e);
            }
            if (position is long p && target is SeekHead or Info or Tracks or Chapters or Tags or Attachments)
                pending.Add((segmentStart + p, target));
        }
    }

    /// <summary>Attachments are walked from the file, so that fonts and large files are skipped, not read.</summary>
    private static void ReadAttachments(Stream s, long start, long end, long length, MatroskaFacts facts)
    {
        var header = new byte[12];
        var pos = start;
        while (pos < end && TryHeader(s, pos, end, header, out var id, out var fileStart, out var size) && size is long fileSize)
        {
            pos = fileStart + fileSize;
            if (id != 0x61A7) continue; // AttachedFile
            string? name = null, type = null, description = null;
            long dataAt = -1, dataSize = 0;
            var at = fileStart;
            while (at < pos && TryHeader(s, at, pos, header, out var child, out var childStart, out var childSize) && childSize is long cs)
            {
                at = childStart + cs;
                if (child == 0x465C) { dataAt = childStart; dataSize = cs; continue; } // FileData: read only if it is the cover
                if (child is not (0x466E or 0x4660 or 0x467E) || cs > 4096) continue;
                var text = ReadData(s, childStart, cs, length, 4096);
                if (text is null) continue;
                var value = Encoding.UTF8.GetString(text).TrimEnd('\0');
                if (child == 0x466E) name = value; else if (child == 0x4660) type = value.ToLowerInvariant(); else description = value;
            }
            if (type is not ("image/jpeg" or "image/jpg" or "image/png") || dataAt < 0 || dataSize > MaxElement) continue;
            // The specification names the front cover "cover.*": it wins over any picture before it.
            var isCover = name?.StartsWith("cover", StringComparison.OrdinalIgnoreCase) == true;
            if (facts.Cover != null && (facts.CoverIsNamed || !isCover)) continue;
            if (ReadData(s, dataAt, dataSize, length, MaxElement) is not byte[] data) continue;
            facts.Cover = new CoverPicture(type == "image/png" ? "image/png" : "image/jpeg", data, description);
            facts.CoverIsNamed = isCover;
        }
    }

    /// <summary>The element header at <paramref name="pos"/>: its id (with marker), where its data starts, and its size (null: unknown).</summary>
    private static bool TryHeader(Stream s, long pos, long end, byte[] buffer, out uint id, out long dataStart, out long? size)
    {
        id = 0; dataStart = 0; size = null;
        var count = Mp3Reader.ReadAt(s, pos, buffer, (int)Math.Min(buffer.Length, end - pos));
        if (!TryVint(buffer, 0, count, keepMarker: true, out var idValue, out var idLength) || idLength > 4) return false;
        if (!TryVint(buffer, idLength, count, keepMarker: false, out var sizeValue, out var sizeLength)) return false;
        id = (uint)idValue;
        dataStart = pos + idLength + sizeLength;
        size = sizeValue == (1UL << (7 * sizeLength)) - 1 ? null : (long)Math.Min(sizeValue, long.MaxValue / 2);
        return true;
    }

    /// <summary>The data of an element, read whole when it fits <paramref name="cap"/>; an unknown size reads what there is, up to the cap.</summary>
    private static byte[]? ReadData(Stream s, long start, long? size, long length, int cap)
    {
        var available = Math.Max(0, length - start);
        var wanted = size ?? available;
        if (wanted > cap && size != null) return null;
        var buffer = new byte[(int)Math.Min(Math.Min(wanted, available), cap)];
        var n = Mp3Reader.ReadAt(s, start, buffer, buffer.Length);
        if (n < buffer.Length) Array.Resize(ref buffer, n);
        return buffer;
    }

    /// <summary>The child elements in b[start..end); an unknown or overlong size runs to the end (a cut file is read as far as it goes).</summary>
    internal static IEnumerable<(uint Id, int Start, int End)> Children(byte[] b, int start, int end)
    {
        var pos = start;
        while (pos < end)
        {
            if (!TryVint(b, pos, end, true, out var id, out var idLength) || idLength > 4) yield break;
            if (!TryVint(b, pos + idLength, end, false, out var size, out var sizeLength)) yield break;
            var dataStart = pos + idLength + sizeLength;
            var unknown = size == (1UL << (7 * sizeLength)) - 1;
            var dataEnd = unknown || size > (ulong)(end - dataStart) ? end : dataStart + (int)size;
            yield return ((uint)id, dataStart, dataEnd);
            pos = dataEnd;
        }
    }

    /// <summary>An EBML variable-length integer: the count of leading zero bits of its first byte gives its length.</summary>
    internal static bool TryVint(byte[] b, int pos, int end, bool keepMarker, out ulong value, out int length)
    {
        value = 0; length = 0;
        if (pos >= end) return false;
        var first = b[pos];
        if (first == 0) return false;
        length = 1;
        while ((first & (0x80 >> (length - 1))) == 0) length++;
        if (pos + length > end) return false;
        value = keepMarker ? first : (ulong)(first & ((0x80 >> (length - 1)) - 1));
        for (var i = 1; i < length; i++) value = value << 8 | b[pos + i];
        return true;
    }

    internal static ulong UInt(byte[] b, (uint Id, int Start, int End) e)
    {
        ulong v = 0;
        for (var i = e.Start; i < e.End && i < e.Start + 8; i++) v = v << 8 | b[i];
        return v;
    }

    internal static double Float(byte[] b, (uint Id, int Start, int End) e)
    {
        var n = e.End - e.Start;
        if (n == 4) { var bits = (int)UInt(b, e); return BitConverter.ToSingle(BitConverter.GetBytes(bits), 0); }
        if (n == 8) return BitConverter.Int64BitsToDouble((long)UInt(b, e));
        return 0;
    }

    internal static string Utf8(byte[] b, (uint Id, int Start, int End) e) => Encoding.UTF8.GetString(b, e.Start, e.End - e.Start).TrimEnd('\0');

    internal static string Timestamp(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
