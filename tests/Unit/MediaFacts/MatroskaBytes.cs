namespace NemoVideo.Tests.MediaFacts;

/// <summary>Edits of a Matroska file's bytes, for layouts ffmpeg does not write itself.</summary>
internal static class MatroskaBytes
{
    /// <summary>
    /// The file with its Tags moved past the clusters (a Void where they were) and the first SeekHead rewritten to point
    /// there, or to a second SeekHead at the very end that does: the layouts a muxer writes when the front has no room for them.
    /// </summary>
    public static byte[] MoveTagsToTheEnd(byte[] b, bool throughSecondSeekHead)
    {
        var elements = new List<(uint Id, int Pos, int Length)>();
        var (_, ebmlData, ebmlSize, _) = Header(b, 0);
        var segment = ebmlData + (int)ebmlSize;
        var (_, segmentData, _, segmentSizeLength) = Header(b, segment);
        for (var pos = segmentData; pos < b.Length;)
        {
            var (id, data, size, _) = Header(b, pos);
            elements.Add((id, pos, data - pos + (int)size));
            pos = data + (int)size;
        }
        var seekHead = elements.First(e => e.Id == 0x114D9B74);
        var info = elements.First(e => e.Id == 0x1549A966);
        var tags = elements.Single(e => e.Id == 0x1254C367);
        Assert.True(tags.Pos < elements.First(e => e.Id == 0x1F43B675).Pos); // ffmpeg wrote them in front

        var output = new List<byte>(b);
        var tagsBytes = b.Skip(tags.Pos).Take(tags.Length).ToArray();
        output.RemoveRange(tags.Pos, tags.Length);
        output.InsertRange(tags.Pos, Void(tags.Length));
        var tagsAt = output.Count - segmentData;
        output.AddRange(tagsBytes);
        var target = (Id: new byte[] { 0x12, 0x54, 0xC3, 0x67 }, At: tagsAt);
        if (throughSecondSeekHead)
        {
            var second = SeekHeadTo(target.Id, target.At);
            target = (new byte[] { 0x11, 0x4D, 0x9B, 0x74 }, output.Count - segmentData);
            output.AddRange(second);
        }
        var first = SeekHeadTo(target.Id, target.At);
        var room = info.Pos - seekHead.Pos; // the SeekHead and the Void ffmpeg leaves after it
        first = first.Concat(Void(room - first.Length)).ToArray();
        for (var i = 0; i < room; i++) output[seekHead.Pos + i] = first[i];
        // The Segment grew by what was appended.
        var segmentSize = output.Count - segmentData;
        for (var i = 1; i < segmentSizeLength; i++) output[segmentData - i] = (byte)(segmentSize >> (8 * (i - 1)));
        return output.ToArray();
    }

    private static (uint Id, int Data, long Size, int SizeLength) Header(byte[] b, int pos)
    {
        var idLength = 1;
        while ((b[pos] & (0x80 >> (idLength - 1))) == 0) idLength++;
        uint id = 0;
        for (var i = 0; i < idLength; i++) id = id << 8 | b[pos + i];
        var at = pos + idLength;
        var sizeLength = 1;
        while ((b[at] & (0x80 >> (sizeLength - 1))) == 0) sizeLength++;
        long size = b[at] & ((0x80 >> (sizeLength - 1)) - 1);
        for (var i = 1; i < sizeLength; i++) size = size << 8 | b[at + i];
        return (id, at + sizeLength, size, sizeLength);
    }

    /// <summary>A SeekHead with one Seek: the id and its position in the Segment (8 bytes).</summary>
    private static byte[] SeekHeadTo(byte[] id, long position)
    {
        var seekId = new byte[] { 0x53, 0xAB, (byte)(0x80 | id.Length) }.Concat(id);
        var seekPosition = new byte[] { 0x53, 0xAC, 0x88 }.Concat(Enumerable.Range(0, 8).Select(i => (byte)(position >> (8 * (7 - i)))));
        var seek = seekId.Concat(seekPosition).ToArray();
        var entry = new byte[] { 0x4D, 0xBB, (byte)(0x80 | seek.Length) }.Concat(seek).ToArray();
        return new byte[] { 0x11, 0x4D, 0x9B, 0x74, (byte)(0x80 | entry.Length) }.Concat(entry).ToArray();
    }

    /// <summary>A Void element of exactly <paramref name="length"/> bytes (9 or more), its size written in 8 bytes.</summary>
    private static byte[] Void(int length)
    {
        var v = new byte[length];
        v[0] = 0xEC;
        v[1] = 0x01;
        long size = length - 9;
        for (var i = 0; i < 7; i++) v[2 + i] = (byte)(size >> (8 * (6 - i)));
        return v;
    }

    /// <summary>Where <paramref name="needle"/> first occurs from <paramref name="from"/> on.</summary>
    public static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        for (var i = from; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        throw new InvalidOperationException("not found");
    }
}
