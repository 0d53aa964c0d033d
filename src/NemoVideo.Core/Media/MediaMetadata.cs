using System.Globalization;

namespace NemoVideo.Media;

/// <summary>A chapter of a file: where it starts, where it ends when the file says, and its title.</summary>
public sealed class MediaChapter
{
    public MediaChapter(TimeSpan start, TimeSpan? end, string? title)
    {
        if (start < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(start), start, "A chapter cannot start before the file.");
        if (end is TimeSpan e && e < start) throw new ArgumentOutOfRangeException(nameof(end), end, "A chapter cannot end before it starts.");
        Start = start;
        End = end;
        Title = title;
    }

    public TimeSpan Start { get; }
    /// <summary>Where it ends; null when the file gives only starts (then the next chapter's start, or the end of the file).</summary>
    public TimeSpan? End { get; }
    public string? Title { get; }

    /// <summary>"90" or "90.5" (seconds), "1:30", "01:02:03.250" or "1:02:03,25" → a time; a FormatException saying how to write it otherwise.</summary>
    public static TimeSpan ParseTime(string text)
    {
        var t = (text ?? "").Trim().Replace(',', '.');
        var parts = t.Split(':');
        if (parts.Length is >= 1 and <= 3 && parts.All(p => p.Length > 0))
        {
            double total = 0;
            var ok = true;
            for (var i = 0; i < parts.Length && ok; i++)
            {
                ok = double.TryParse(parts[i], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) && v >= 0
                    && (i == parts.Length - 1 || parts[i].IndexOf('.') < 0) && (i == 0 || v < 60);
                total = total * 60 + v;
            }
            if (ok) return TimeSpan.FromMilliseconds(Math.Round(total * 1000));
        }
        throw new FormatException($"'{text}' is not a time; write it as seconds (90), minutes:seconds (1:30) or hours:minutes:seconds (01:02:03.5).");
    }

    public override string ToString() =>
        Start.ToString(Start.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture) + (Title is null ? "" : " " + Title);
}

/// <summary>A picture a file carries as its cover: an ID3v2 APIC frame, an MP4 covr item, a Matroska attachment.</summary>
public sealed class CoverPicture
{
    public CoverPicture(string mimeType, byte[] data, string? description = null)
    {
        MimeType = mimeType ?? throw new ArgumentNullException(nameof(mimeType));
        Data = data ?? throw new ArgumentNullException(nameof(data));
        Description = description;
        (Width, Height) = ImageSize.Read(data);
    }

    /// <summary>image/jpeg or image/png.</summary>
    public string MimeType { get; }
    /// <summary>The image file's bytes, as they are.</summary>
    public byte[] Data { get; }
    public string? Description { get; }
    /// <summary>Read from the image's own header (JPEG SOF, PNG IHDR); null when it cannot be read.</summary>
    public int? Width { get; }
    public int? Height { get; }

    /// <summary>The largest picture taken as a cover (podcast directories ask for about 3000x3000 JPEGs, well under this).</summary>
    public const int MaxLength = 16 * 1024 * 1024;

    /// <summary>A JPEG or PNG file as a front cover, known by its bytes (not its name); anything else is refused with why.</summary>
    public static CoverPicture Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new MediaInputException(Directory.Exists(path) ? InputProblem.Folder : InputProblem.Missing, path, $"The cover image '{path}' does not exist");
        if (file.Length == 0) throw new MediaInputException(InputProblem.Empty, file.FullName, $"The cover image '{file.Name}' is empty (0 bytes)");
        if (file.Length > MaxLength)
            throw new MediaInputException(InputProblem.TooLarge, file.FullName, $"The cover image '{file.Name}' is {file.Length / 1048576} MB; a cover must be under {MaxLength / 1048576} MB (3000x3000 JPEG is about 1 MB)");
        var data = File.ReadAllBytes(file.FullName);
        var mime = data.Length > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF ? "image/jpeg"
            : data.Length > 8 && data[0] == 0x89 && data[1] == 'P' && data[2] == 'N' && data[3] == 'G' ? "image/png" : null;
        return mime is null
            ? throw new MediaInputException(InputProblem.UnsupportedType, file.FullName, $"The cover image '{file.Name}' is not a JPEG or PNG picture", "jpg png")
            : new CoverPicture(mime, data);
    }

    /// <summary>"image/jpeg 600x600, 48 KB".</summary>
    public override string ToString() =>
        MimeType + (Width is int w && Height is int h ? $" {w}x{h}" : "") + ", " + (Data.Length / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";
}

/// <summary>One audio track of a container, as its header describes it.</summary>
public sealed class AudioTrackFacts
{
    /// <summary>As ffprobe names it: aac, mp3, opus…</summary>
    public string? Codec { get; init; }
    /// <summary>The language tag (ISO 639-2, such as eng), when there is one.</summary>
    public string? Language { get; init; }
    public string? Title { get; init; }
    public int? Channels { get; init; }
    public int? SampleRate { get; init; }
}

/// <summary>The width and height in an image's header.</summary>
internal static class ImageSize
{
    public static (int?, int?) Read(byte[] b)
    {
        // PNG: the IHDR chunk follows the 8-byte signature.
        if (b.Length >= 24 && b[0] == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G')
            return (b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19], b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23]);
        // JPEG: walk the segments to a start-of-frame marker.
        if (b.Length >= 4 && b[0] == 0xFF && b[1] == 0xD8)
        {
            var i = 2;
            while (i + 9 < b.Length)
            {
                if (b[i] != 0xFF) { i++; continue; }
                var marker = b[i + 1];
                if (marker == 0xFF) { i++; continue; }
                if (marker is >= 0xC0 and <= 0xCF && marker is not 0xC4 and not 0xC8 and not 0xCC)
                    return (b[i + 7] << 8 | b[i + 8], b[i + 5] << 8 | b[i + 6]);
                if (marker is 0xD8 or 0x01 || marker is >= 0xD0 and <= 0xD7) { i += 2; continue; }
                i += 2 + (b[i + 2] << 8 | b[i + 3]);
            }
        }
        return (null, null);
    }
}
