using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace NemoVideo.PowerShell;

/// <summary>-Tag's names as the tag names the core writes (ffprobe's: title, artist, album_artist, date…).</summary>
internal static class TagNames
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Year"] = "date", ["Date"] = "date", ["AlbumArtist"] = "album_artist", ["Album_Artist"] = "album_artist", ["TrackNumber"] = "track",
    };

    public static Dictionary<string, string?> From(Hashtable table)
    {
        var tags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in table)
        {
            var key = entry.Key?.ToString()?.Trim() ?? "";
            if (key.Length == 0) continue;
            // An ID3v2 text frame's own id (TBPM, TKEY) is kept as written; any other name is the tag's, lower case.
            var name = Aliases.TryGetValue(key, out var alias) ? alias
                : key.Length == 4 && key[0] == 'T' && key.All(c => c is >= 'A' and <= 'Z' or >= '0' and <= '9') ? key : key.ToLowerInvariant();
            var value = entry.Value is PSObject p ? p.BaseObject : entry.Value;
            var text = value switch
            {
                null => null,
                DateTime d => d.ToString(d.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            };
            if (name == "date" && !string.IsNullOrWhiteSpace(text) && !Media.Id3v2Frames.IsDate(text!))
                throw new FormatException($"-Tag {key} = '{text}' is not a date an MP3 tag can hold; give a year (2026), a date (2026-11-30) or a [datetime].");
            tags[name] = text;
        }
        return tags;
    }
}
