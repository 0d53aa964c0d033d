namespace NemoVideo.Tests.MediaFacts;

/// <summary>
/// Matroska files written byte by byte, for layouts ffmpeg's muxer never writes: laced blocks (Xiph, EBML, fixed size),
/// Blocks in BlockGroups, clusters and a segment of unknown size (a live recording), a content encoding.
/// </summary>
internal static class HandMadeMatroska
{
    /// <summary>
    /// A subtitle track (number 1) and the audio track (number 2) with <paramref name="frames"/>, block by block as
    /// <paramref name="framesPerBlock"/> says (by block index). Lacing goes by block index: none, Xiph, EBML, then a
    /// BlockGroup's Block with EBML lacing; with <paramref name="fixedLacing"/>, fixed-size lacing, single frames in BlockGroups.
    /// Clusters of 40 frames, each of unknown size, with a subtitle block first, in a segment of unknown size.
    /// </summary>
    public static byte[] Build(string codecId, byte[]? codecPrivate, int rate, int channels, IReadOnlyList<byte[]> frames,
        Func<int, int> framesPerBlock, bool fixedLacing = false, bool headerStripping = false)
    {
        var samplesPerFrame = codecId.StartsWith("A_MPEG", StringComparison.Ordinal) ? 1152 : 1024;
        double Ms(int frame) => frame * samplesPerFrame * 1000.0 / rate;
        var output = new List<byte>();
        output.AddRange(Element(0x1A45DFA3, Concat(UInt(0x4286, 1), UInt(0x42F7, 1), UInt(0x42F2, 4), UInt(0x42F3, 8),
            Text(0x4282, "matroska"), UInt(0x4287, 4), UInt(0x4285, 2))));
        output.AddRange(new byte[] { 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }); // Segment, unknown size
        output.AddRange(Element(0x1549A966, Concat(UInt(0x2AD7B1, 1_000_000), Text(0x4D80, "hand"), Text(0x5741, "hand"), Float(0x4489, Ms(frames.Count)))));
        var subtitle = Element(0xAE, Concat(UInt(0xD7, 1), UInt(0x73C5, 1), UInt(0x83, 0x11), Text(0x86, "S_TEXT/UTF8")));
        var audioParts = new List<byte[]> { UInt(0xD7, 2), UInt(0x73C5, 2), UInt(0x83, 2), Text(0x86, codecId) };
        if (codecPrivate != null) audioParts.Add(Element(0x63A2, codecPrivate));
        if (headerStripping)
            audioParts.Add(Element(0x6D80, Element(0x6240, Element(0x5034, Concat(UInt(0x4254, 3), Element(0x4255, new byte[] { 0xFF }))))));
        audioParts.Add(Element(0xE1, Concat(Float(0xB5, rate), UInt(0x9F, (ulong)channels))));
        output.AddRange(Element(0x1654AE6B, Concat(subtitle, Element(0xAE, Concat(audioParts.ToArray())))));

        var block = 0;
        for (var cluster = 0; cluster < frames.Count; cluster += 40)
        {
            var clusterMs = (long)Ms(cluster);
            output.AddRange(new byte[] { 0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }); // Cluster, unknown size
            output.AddRange(UInt(0xE7, (ulong)clusterMs));
            output.AddRange(Element(0xA3, Concat(new byte[] { 0x81, 0, 0, 0x80 }, System.Text.Encoding.UTF8.GetBytes("cluster " + cluster))));
            for (var i = cluster; i < Math.Min(frames.Count, cluster + 40);)
            {
                var n = Math.Min(Math.Min(framesPerBlock(block), frames.Count - i), cluster + 40 - i);
                var group = frames.Skip(i).Take(n).ToList();
                var lacing = n == 1 ? 0 : fixedLacing ? 2 : block % 4 == 1 ? 1 : 3;
                var inGroup = fixedLacing ? n == 1 : block % 4 == 3;
                var relative = (short)((long)Ms(i) - clusterMs);
                var body = new List<byte> { 0x82, (byte)(relative >> 8), (byte)relative, (byte)((inGroup ? 0 : 0x80) | lacing << 1) };
                if (lacing != 0) body.Add((byte)(n - 1));
                if (lacing == 1)
                    foreach (var f in group.Take(n - 1))
                    {
                        var size = f.Length;
                        for (; size >= 255; size -= 255) body.Add(255);
                        body.Add((byte)size);
                    }
                if (lacing == 3)
                {
                    body.AddRange(new[] { (byte)(0x40 | group[0].Length >> 8), (byte)group[0].Length });
                    for (var k = 1; k < n - 1; k++)
                    {
                        var v = group[k].Length - group[k - 1].Length + 8191;
                        body.AddRange(new[] { (byte)(0x40 | v >> 8), (byte)v });
                    }
                }
                if (lacing == 2) Assert.All(group, f => Assert.Equal(group[0].Length, f.Length));
                foreach (var f in group) body.AddRange(f);
                output.AddRange(inGroup ? Element(0xA0, Concat(Element(0xA1, body.ToArray()), UInt(0x9B, (ulong)Math.Round(Ms(n))))) : Element(0xA3, body.ToArray()));
                i += n;
                block++;
            }
        }
        return output.ToArray();
    }

    /// <summary>A Matroska file from ffmpeg with each top-level Cluster's size rewritten as unknown (same length of size field), as a live recording leaves them.</summary>
    public static byte[] UnknownSizeClusters(byte[] file)
    {
        var b = (byte[])file.Clone();
        var (_, ebmlData, ebmlSize, _) = Header(b, 0);
        var (_, segmentData, _, _) = Header(b, ebmlData + (int)ebmlSize);
        var clusters = 0;
        for (var pos = segmentData; pos < b.Length;)
        {
            var (id, data, size, sizeLength) = Header(b, pos);
            if (id == 0x1F43B675)
            {
                var at = data - sizeLength;
                b[at] = (byte)(0xFF >> (sizeLength - 1));
                for (var i = 1; i < sizeLength; i++) b[at + i] = 0xFF;
                clusters++;
            }
            pos = data + (int)size;
        }
        Assert.True(clusters > 1);
        return b;
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

    private static byte[] Element(uint id, byte[] payload)
    {
        var idBytes = BitConverter.GetBytes(id).Reverse().SkipWhile(x => x == 0);
        var size = new byte[8];
        size[0] = 0x01;
        for (var i = 0; i < 7; i++) size[7 - i] = (byte)((long)payload.Length >> (8 * i));
        return idBytes.Concat(size).Concat(payload).ToArray();
    }

    private static byte[] UInt(uint id, ulong value) => Element(id, BitConverter.GetBytes(value).Reverse().ToArray());

    private static byte[] Float(uint id, double value) => Element(id, BitConverter.GetBytes(BitConverter.DoubleToInt64Bits(value)).Reverse().ToArray());

    private static byte[] Text(uint id, string value) => Element(id, System.Text.Encoding.UTF8.GetBytes(value));

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
