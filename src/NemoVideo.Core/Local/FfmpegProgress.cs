using System.Globalization;

namespace NemoVideo.Local;

/// <summary>Reads ffmpeg's -progress lines.</summary>
internal static class FfmpegProgress
{
    /// <summary>True, with the share done (0..1), for an out_time line of a file of known duration.</summary>
    public static bool TryRead(string line, TimeSpan? duration, out double share)
    {
        share = 0;
        if (duration is not TimeSpan d || d <= TimeSpan.Zero) return false;
        // out_time_us and (despite its name) out_time_ms are both microseconds.
        string? value = line.StartsWith("out_time_us=", StringComparison.Ordinal) ? line.Substring(12)
            : line.StartsWith("out_time_ms=", StringComparison.Ordinal) ? line.Substring(12) : null;
        if (value == null || !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) || us < 0) return false;
        share = Math.Min(1, us / (d.TotalMilliseconds * 1000));
        return true;
    }
}
