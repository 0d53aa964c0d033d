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
