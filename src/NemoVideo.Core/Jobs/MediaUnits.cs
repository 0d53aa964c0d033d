using System.Globalization;
using System.Text.RegularExpressions;

namespace NemoVideo.Jobs;

/// <summary>Reads the ways people write bitrates and resolutions.</summary>
public static class MediaUnits
{
    private static readonly Regex Rate = new(@"^\s*(?<n>\d+(?:[.,]\d+)?)\s*(?<u>mbps|mbit/s|mb/s|m|kbps|kbit/s|kb/s|k|bps)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex Lines = new(@"^\s*(?<h>\d{3,4})\s*p?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>"8Mbps", "8M", "8000k", "8000kbps", "2.5 Mbps", "8000" (kbps) → kbps.</summary>
    public static int ParseKbps(string text)
    {
        var m = Rate.Match(text ?? "");
        if (!m.Success)
            throw new FormatException($"'{text}' is not a bitrate; write it like 8Mbps, 8M, 2.5Mbps, 8000k or 8000kbps.");
        var n = double.Parse(m.Groups["n"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Value.ToLowerInvariant();
        var kbps = unit.StartsWith("m", StringComparison.Ordinal) ? n * 1000 : unit == "bps" ? n / 1000 : n;
        return (int)Math.Round(kbps);
    }

    /// <summary>"720p", "1080", "4K" → lines.</summary>
    public static int ParseHeight(string text)
    {
        var t = (text ?? "").Trim();
        if (t.Equals("4k", StringComparison.OrdinalIgnoreCase)) return 2160;
        if (t.Equals("2k", StringComparison.OrdinalIgnoreCase)) return 1440;
        var m = Lines.Match(t);
        if (!m.Success) throw new FormatException($"'{text}' is not a resolution; write it like 720p or 1080p.");
        return int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture);
    }
}
