using System.Collections;
using System.Globalization;
using System.Management.Automation;
using NemoVideo.Media;

namespace NemoVideo.PowerShell;

/// <summary>-Chapter's objects (hashtables, Import-Csv rows, Get-NemoMediaInfo's chapters) as chapters, in start order.</summary>
internal static class ChapterList
{
    public static IReadOnlyList<MediaChapter> From(IEnumerable<object> items)
    {
        var chapters = new List<MediaChapter>();
        var n = 0;
        foreach (var item in items)
        {
            n++;
            var o = item is PSObject ps ? ps.BaseObject : item;
            if (o is MediaChapter chapter) { chapters.Add(chapter); continue; }
            var start = Time(Value(item, "Start"), n, "Start") ?? throw new FormatException($"Chapter {n} has no Start; give each chapter a Start and a Title, for example @{{ Start = '0:00'; Title = 'Intro' }}.");
            var end = Time(Value(item, "End"), n, "End");
            if (end is TimeSpan e && e <= start) throw new FormatException($"Chapter {n} ends ({e}) before it starts ({start}).");
            chapters.Add(new MediaChapter(start, end, Value(item, "Title")?.ToString()));
        }
        if (chapters.Count > Jobs.Mp3Tagging.MaxChapters)
            throw new FormatException($"{chapters.Count} chapters were given; an ID3v2 table of contents holds at most {Jobs.Mp3Tagging.MaxChapters}.");
        var ordered = chapters.OrderBy(c => c.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
            if (ordered[i].Start == ordered[i - 1].Start) throw new FormatException($"Two chapters start at {ordered[i].Start}; each chapter needs its own start.");
        return ordered;
    }

    private static object? Value(object item, string name)
    {
        var o = item is PSObject ps ? ps.BaseObject : item;
        if (o is IDictionary d)
        {
            foreach (DictionaryEntry entry in d)
                if (string.Equals(entry.Key?.ToString(), name, StringComparison.OrdinalIgnoreCase)) return Unwrap(entry.Value);
            return null;
        }
        return Unwrap(PSObject.AsPSObject(item).Properties[name]?.Value);
    }

    private static object? Unwrap(object? v) => v is PSObject p ? p.BaseObject : v;

    private static TimeSpan? Time(object? v, int n, string what)
    {
        try
        {
            return v switch
            {
                null => null,
                TimeSpan t => t,
                string s when s.Trim().Length == 0 => null,
                string s => MediaChapter.ParseTime(s),
                IConvertible c => TimeSpan.FromSeconds(c.ToDouble(CultureInfo.InvariantCulture)),
                _ => MediaChapter.ParseTime(v.ToString()!),
            };
        }
        catch (FormatException ex)
        {
            throw new FormatException($"Chapter {n}'s {what}: {ex.Message}", ex);
        }
    }
}

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
