using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// One audio track of an MP4/MOV file, from its sample table: stsz (sizes, or one size for all), stsc (samples per
/// chunk), stco/co64 (chunk offsets) give every sample's place; the samples are then read in runs of neighbours, a
/// megabyte or more at a time, and never the video between them.
/// </summary>
internal sealed class Mp4AudioTrack : AudioTrackPlan
{
    private const int MaxIndex = 256 * 1024 * 1024;
    private const int BufferSize = 4 << 20;

    /// <summary>Samples closer than this are read together, the bytes between them thrown away: cheaper than another read.</summary>
    private const int Gap = 16 * 1024;

    private readonly long[] _offsets;
    private readonly int[] _sizes;
    private readonly long _total;

    private Mp4AudioTrack(long[] offsets, int[] sizes, AacConfig? aac, TimeSpan? duration)
    {
        _offsets = offsets;
        _sizes = sizes;
        foreach (var size in sizes) _total += size;
        Aac = aac;
        Duration = duration;
        EstimatedBytes = _total + (aac is null ? 0 : 7L * sizes.Length);
    }

    public static AudioTrackPlan? TryPlan(Stream s, long length, int audioIndex, out string? whyNot)
    {
        var moov = FindMoov(s, length, out whyNot);
        if (moov is null) return null;
        if (Mp4Reader.Children(moov, 0, moov.Length).Any(c => c.Type == "mvex"))
        {
            whyNot = "the MP4 file is fragmented (moof), which this reader does not take tracks out of";
            return null;
        }
        var audio = 0;
        foreach (var (type, start, end) in Mp4Reader.Children(moov, 0, moov.Length))
        {
            if (type != "trak" || Handler(moov, start, end) != "soun") continue;
            if (audio++ != audioIndex) continue;
            return Track(s, length, moov, start, end, out whyNot);
        }
        whyNot = audio == 0 ? "the file has no audio track" : $"the file has {audio} audio track{(audio == 1 ? "" : "s")}, not {audioIndex + 1}";
        return null;
    }

    /// <summary>The moov box's content, wherever it sits; null with the reason when there is none or the file is fragmented.</summary>
    private static byte[]? FindMoov(Stream s, long length, out string? whyNot)
    {
        whyNot = null;
        var header = new byte[16];
        byte[]? moov = null;
        long pos = 0;
        while (pos + 8 <= length)
        {
            if (Mp3Reader.ReadAt(s, pos, header, 16) < 8) break;
            long size = Mp4Reader.U32(header, 0);
            var type = Encoding.ASCII.GetString(header, 4, 4);
            var headerSize = 8;
            if (size == 1) { size = (long)Mp4Reader.U64(header, 8); headerSize = 16; }
            else if (size == 0) size = length - pos;
            if (size < headerSize) break;
            if (type == "moof") { whyNot = "the MP4 file is fragmented (moof), which this reader does not take tracks out of"; return null; }
            if (type == "moov" && moov is null)
            {
                if (size - headerSize > MaxIndex) { whyNot = "the MP4 file's index (moov) is too large"; return null; }
                if (pos + size > length) { whyNot = "the MP4 file is cut short inside its index (moov)"; return null; }
                moov = new byte[size - headerSize];
                Mp3Reader.ReadAt(s, pos + headerSize, moov, moov.Length);
            }
            pos += size;
        }
        if (moov is null) whyNot = "the MP4 file has no index (moov): it was not finished";
        return moov;
    }

    private static string? Handler(byte[] b, int start, int end)
    {
        foreach (var (type, s, e) in Mp4Reader.Children(b, start, end))
            if (type == "mdia")
                foreach (var (mt, ms, me) in Mp4Reader.Children(b, s, e))
                    if (mt == "hdlr" && me - ms >= 12) return Encoding.ASCII.GetString(b, ms + 8, 4);
        return null;
    }

    private static AudioTrackPlan? Track(Stream s, long length, byte[] b, int start, int end, out string? whyNot)
    {
        whyNot = null;
        TimeSpan? duration = null;
        (int S, int E)? stsd = null, stsz = null, stsc = null, stco = null;
        var co64 = false;
        foreach (var (type, ts, te) in Mp4Reader.Children(b, start, end))
        {
            if (type != "mdia") continue;
            foreach (var (mt, ms, me) in Mp4Reader.Children(b, ts, te))
            {
                if (mt == "mdhd" && Mp4Reader.Duration(b, ms) is double seconds && seconds > 0) duration = TimeSpan.FromSeconds(seconds);
                if (mt != "minf") continue;
                foreach (var (st, ss, se) in Mp4Reader.Children(b, ms, me))
                {
                    if (st != "stbl") continue;
                    foreach (var (bt, bs, be) in Mp4Reader.Children(b, ss, se))
                    {
                        if (bt == "stsd") stsd = (bs, be);
                        else if (bt == "stsz") stsz = (bs, be);
                        else if (bt == "stsc") stsc = (bs, be);
                        else if (bt == "stco") { stco = (bs, be); co64 = false; }
                        else if (bt == "co64") { stco = (bs, be); co64 = true; }
                    }
                }
            }
        }
        if (stsd is null || stsz is null || stsc is null || stco is null) { whyNot = "the audio track's sample table is incomplete"; return null; }

        var (codec, aac) = SampleEntry(b, stsd.Value.S, stsd.Value.E, out whyNot);
        if (codec is null) return null;

        // stsz: one size for all, or one per sample.
        var (zs, ze) = stsz.Value;
        var fixedSize = Mp4Reader.U32(b, zs + 4);
        var count = Mp4Reader.U32(b, zs + 8);
        if (fixedSize == 0 && count > (ze - zs - 12) / 4) throw new InvalidDataException("stsz lists more samples than it holds");
        if (fixedSize == 1) { whyNot = "the audio track's sample table counts bytes, not frames (an old QuickTime sound layout)"; return null; }
        if (count > int.MaxValue / 8) throw new InvalidDataException("stsz counts too many samples");
        var sizes = new int[count];
        for (var i = 0; i < sizes.Length; i++)
        {
            var size = fixedSize != 0 ? fixedSize : Mp4Reader.U32(b, zs + 12 + i * 4);
            if (size > int.MaxValue / 2) throw new InvalidDataException("a sample is larger than a file could hold");
            sizes[i] = (int)size;
        }

        // stco/co64: where each chunk starts.
        var (os, oe) = stco.Value;
        var chunks = Mp4Reader.U32(b, os + 4);
        if (chunks > (oe - os - 8) / (co64 ? 8 : 4)) throw new InvalidDataException("the chunk offset table lists more chunks than it holds");
        // stsc: runs of chunks with the same number of samples.
        var (cs, ce) = stsc.Value;
        var runs = Mp4Reader.U32(b, cs + 4);
        if (runs > (ce - cs - 8) / 12) throw new InvalidDataException("stsc lists more entries than it holds");

        var offsets = new long[sizes.Length];
        var sample = 0;
        for (var run = 0; run < runs && sample < sizes.Length; run++)
        {
            var first = Mp4Reader.U32(b, cs + 8 + run * 12);
            var perChunk = Mp4Reader.U32(b, cs + 8 + run * 12 + 4);
            var last = run + 1 < runs ? Mp4Reader.U32(b, cs + 8 + (run + 1) * 12) : chunks + 1; // exclusive
            if (first == 0 || last < first) throw new InvalidDataException("stsc's chunk runs are out of order");
            for (var chunk = first; chunk < last && chunk <= chunks && sample < sizes.Length; chunk++)
            {
                var offset = co64 ? (long)Mp4Reader.U64(b, os + 8 + (int)(chunk - 1) * 8) : Mp4Reader.U32(b, os + 8 + (int)(chunk - 1) * 4);
                for (var k = 0; k < perChunk && sample < sizes.Length; k++)
                {
                    offsets[sample] = offset;
                    offset += sizes[sample++];
                }
            }
        }
        if (sample < sizes.Length) throw new InvalidDataException($"the chunk tables place {sample} of {sizes.Length} samples");
        for (var i = 0; i < sizes.Length; i++)
            if (offsets[i] + sizes[i] > length) { whyNot = "the MP4 file is cut short: its audio samples run past its end"; return null; }

        if (codec == "mp3" && sizes.Length > 0)
        {
            var head = new byte[4];
            whyNot = CheckMp3(head, 0, Mp3Reader.ReadAt(s, offsets[0], head, 4));
            if (whyNot != null) return null;
        }
        return new Mp4AudioTrack(offsets, sizes, aac, duration);
    }

    /// <summary>The codec of the first sample entry ("aac", "mp3") and its AAC config; null with the reason for any other.</summary>
    private static (string? Codec, AacConfig? Aac) SampleEntry(byte[] b, int start, int end, out string? whyNot)
    {
        whyNot = null;
        if (end - start < 16 + 36) { whyNot = "the audio track has no sample description"; return (null, null); }
        var entry = start + 8;
        var entryEnd = Math.Min(end, entry + (int)Mp4Reader.U32(b, entry));
        var fourcc = Encoding.ASCII.GetString(b, entry + 4, 4);
        if (fourcc == ".mp3") return ("mp3", null);
        if (fourcc != "mp4a")
        {
            var name = fourcc switch { "Opus" => "opus", "ac-3" => "ac3", "ec-3" => "eac3", "alac" => "alac", "fLaC" => "flac", "lpcm" or "sowt" or "twos" => "pcm", _ => fourcc.Trim() };
            whyNot = OtherCodec(name);
            return (null, null);
        }
        // QuickTime sound entries of version 1 and 2 carry 16 and 36 more bytes before their children.
        var children = entry + 36 + ((b[entry + 16] << 8 | b[entry + 17]) switch { 1 => 16, 2 => 36, _ => 0 });
        if (FindEsds(b, children, entryEnd) is not var (es, ee)) { whyNot = "the AAC track has no esds box"; return (null, null); }
        var (objectType, configStart, configEnd) = Esds(b, es, ee);
        if (objectType is 0x69 or 0x6B) return ("mp3", null);
        if (objectType is not (0x40 or 0x66 or 0x67 or 0x68)) { whyNot = OtherCodec($"MPEG-4 object type 0x{objectType:X2}"); return (null, null); }
        return AacConfig.TryParse(b, configStart, configEnd, out whyNot) is AacConfig aac ? ("aac", aac) : (null, null);
    }

    /// <summary>The esds box among the entry's children, or inside a QuickTime 'wave' box (MOV).</summary>
    private static (int Start, int End)? FindEsds(byte[] b, int start, int end)
    {
        foreach (var (type, s, e) in Mp4Reader.Children(b, start, end))
        {
            if (type == "esds") return (s, e);
            if (type == "wave" && FindEsds(b, s, e) is var found and not null) return found;
        }
        return null;
    }

    /// <summary>esds: the DecoderConfigDescriptor's objectTypeIndication and where its DecoderSpecificInfo (the AudioSpecificConfig) lies.</summary>
    private static (int ObjectType, int Start, int End) Esds(byte[] b, int s, int e)
    {
        var i = s + 4; // version and flags
        var objectType = 0;
        while (i + 2 < e)
        {
            var tag = b[i++];
            var len = 0;
            for (var k = 0; k < 4 && i < e; k++) { var c = b[i++]; len = (len << 7) | (c & 0x7F); if ((c & 0x80) == 0) break; }
            if (tag == 0x03) { var flags = b[i + 2]; i += 3 + ((flags & 0x80) != 0 ? 2 : 0); if ((flags & 0x40) != 0 && i < e) i += 1 + b[i]; if ((flags & 0x20) != 0) i += 2; continue; }
            if (tag == 0x04) { if (i >= e) break; objectType = b[i]; i += 13; continue; } // its children follow its 13 fixed bytes
            if (tag == 0x05) return (objectType, i, Math.Min(e, i + len));
            i += len;
        }
        return (objectType, 0, 0);
    }

    public override void Copy(Stream source, FrameWriter writer, IProgress<double>? progress, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        long done = 0, reported = 0;
        var n = _offsets.Length;
        var i = 0;
        while (i < n)
        {
            ct.ThrowIfCancellationRequested();
            // A run of samples that lie one after another (or nearly), as many as the buffer holds.
            var start = _offsets[i];
            var end = start + _sizes[i];
            var j = i + 1;
            while (j < n && _offsets[j] >= end && _offsets[j] - end <= Gap && _offsets[j] + _sizes[j] - start <= buffer.Length)
            {
                end = _offsets[j] + _sizes[j];
                j++;
            }
            if (end - start > buffer.Length) buffer = new byte[end - start];
            var span = (int)(end - start);
            if (Mp3Reader.ReadAt(source, start, buffer, span) < span) throw new InvalidDataException("The file ended inside its audio samples: it changed after it was planned.");
            for (var k = i; k < j; k++)
            {
                writer.Write(buffer, (int)(_offsets[k] - start), _sizes[k]);
                done += _sizes[k];
            }
            i = j;
            if (progress != null && done - reported >= _total / 200) { reported = done; progress.Report((double)done / _total); }
        }
    }
}
