using System.Text;

namespace NemoVideo.Media;

/// <summary>
/// Tells what a file is from its own bytes, in managed code (no ffprobe): MP3 frames and their Xing/Info/VBRI
/// header, MP4/MOV boxes, Matroska/WebM, WAV (RIFF, RF64), AVI, or text. Used before any output takes its name, so a result reports
/// what the file is, never what was asked for.
/// </summary>
public static class MediaInspector
{
    /// <summary>What the file at <paramref name="path"/> is. Unknown or damaged content is described, never thrown; I/O errors propagate.</summary>
    public static MediaFacts Inspect(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Inspect(file, file.Length);
    }

    /// <summary>The same for a seekable stream of <paramref name="length"/> bytes.</summary>
    public static MediaFacts Inspect(Stream seekable, long length)
    {
        if (length == 0) return new MediaFacts { Container = MediaContainer.Unknown, Length = 0 };
        var head = new byte[512];
        var count = Mp3Reader.ReadAt(seekable, 0, head, head.Length);
        if (count >= 12 && Tag(head, 4, "ftyp") || count >= 8 && (Tag(head, 4, "moov") || Tag(head, 4, "mdat") || Tag(head, 4, "wide")))
            return Damaged(MediaContainer.Mp4, length, () => Mp4Reader.TryRead(seekable, length)) ?? Unrecognised(head, count, length);
        if (count >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
            return Damaged(MediaContainer.Matroska, length, () => MatroskaReader.Read(seekable, length))!;
        if (AviReader.IsAvi(head, count))
            return Damaged(MediaContainer.Avi, length, () => AviReader.Read(seekable, length))!;
        if (WaveReader.IsWave(head, count))
            return Damaged(MediaContainer.Wave, length, () => WaveReader.Read(seekable, length))!;
        if (count >= 3 && (Tag3(head, "ID3") || head[0] == 0xFF && (head[1] & 0xE0) == 0xE0))
            return Mp3Reader.TryRead(seekable, length) ?? Unrecognised(head, count, length);
        // No signature at the start: an MP3 may still begin after some junk; text never has frame headers that chain.
        if (!LooksLikeText(head, count) && Mp3Reader.TryRead(seekable, length) is MediaFacts mp3) return mp3;
        return Unrecognised(head, count, length);
    }

    /// <summary>The reader's answer; an index so damaged that a bounds check was missed is described as cut short, not thrown.</summary>
    private static MediaFacts? Damaged(MediaContainer container, long length, Func<MediaFacts?> read)
    {
        try { return read(); }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException)
        {
            return new MediaFacts { Container = container, Length = length, Truncated = true };
        }
    }

    private static MediaFacts Unrecognised(byte[] head, int count, long length) =>
        LooksLikeText(head, count)
            ? new MediaFacts { Container = MediaContainer.Other, Length = length, TextStart = Quote(head, count) }
            : new MediaFacts { Container = MediaContainer.Unknown, Length = length };

    private static bool LooksLikeText(byte[] b, int count)
    {
        if (count == 0) return false;
        for (var i = 0; i < count; i++)
            if (b[i] == 0 || (b[i] < 0x09) || (b[i] > 0x0D && b[i] < 0x20 && b[i] != 0x1B)) return false;
        return true;
    }

    private static string Quote(byte[] b, int count)
    {
        var text = Encoding.UTF8.GetString(b, 0, Math.Min(count, 120)).Replace('\r', ' ').Replace('\n', ' ').Trim();
        return text.Length > 40 ? text.Substring(0, 40) + "…" : text;
    }

    private static bool Tag(byte[] b, int i, string tag) => b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3];

    private static bool Tag3(byte[] b, string tag) => b[0] == tag[0] && b[1] == tag[1] && b[2] == tag[2];
}
