using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>
/// What an MP3's ID3v2 tag must say once made, on either engine: the source's tags, chapters and cover carried over,
/// the request's own set over them; written by <see cref="Id3v2Writer"/> through the output's temporary file, the
/// audio frames untouched.
/// </summary>
public static class Mp3Tagging
{
    /// <summary>The source's tags worth carrying into an MP3 (not the container's own: major_brand, encoder, creation_time…).</summary>
    public static readonly IReadOnlyCollection<string> CarriedTags = new[]
    {
        "title", "artist", "album", "album_artist", "date", "genre", "comment", "track", "disc", "composer", "publisher", "copyright", "language", "description",
    };

    /// <summary>The most chapters an ID3v2 table of contents can list.</summary>
    public const int MaxChapters = 255;

    /// <summary>
    /// The changes for an MP3 (<paramref name="made"/>, as it is now) made from a source of <paramref name="source"/> facts,
    /// or null when there is nothing to write: what the source carries and the MP3 lacks (ffmpeg carries tags and
    /// chapters itself; the cloud's MP3 has none of them), with the request's own over it. What the source carries that
    /// an MP3 cannot (a date that is not one, chapters past the end of the audio, more than 255) is left out, said in
    /// <paramref name="warnings"/>.
    /// </summary>
    public static Id3Changes? ChangesFor(Mp3Request request, MediaFacts source, MediaFacts made, ICollection<string>? warnings = null)
    {
        var name = Path.GetFileName(request.OutputPath);
        var changes = new Id3Changes();
        foreach (var tag in source.Tags)
        {
            if (!CarriedTags.Contains(tag.Key, StringComparer.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(tag.Value) || made.Tags.ContainsKey(tag.Key)) continue;
            if (tag.Key.Equals("date", StringComparison.OrdinalIgnoreCase) && !Id3v2Frames.IsDate(tag.Value)) continue; // "May 2024" has no year ID3v2.3 can hold
            changes.Tags[tag.Key] = tag.Value;
        }
        foreach (var tag in request.Tags)
        {
            if (!string.IsNullOrWhiteSpace(tag.Value)) changes.Tags[tag.Key] = tag.Value;
            else if (made.Tags.ContainsKey(tag.Key)) changes.Tags[tag.Key] = null; // removed from the MP3
            else changes.Tags.Remove(tag.Key);                                       // and not carried over from the source
        }
        var chapters = request.Chapters ?? (made.Chapters.Count == 0 && source.Chapters.Count > 0 ? source.Chapters : null);
        changes.Chapters = chapters is null ? null : Fit(chapters, made.Duration, name, warnings);
        changes.Cover = request.Cover ?? (made.Cover is null ? source.Cover : null);
        return changes.Tags.Count == 0 && changes.Chapters is null && changes.Cover is null ? null : changes;
    }

    /// <summary>The chapters that start inside the audio, at most 255, each start once.</summary>
    private static IReadOnlyList<MediaChapter> Fit(IReadOnlyList<MediaChapter> chapters, TimeSpan? length, string name, ICollection<string>? warnings)
    {
        var kept = chapters.OrderBy(c => c.Start).GroupBy(c => c.Start).Select(g => g.First())
            .Where(c => length is not TimeSpan l || c.Start < l).ToList();
        if (kept.Count < chapters.Count && length is TimeSpan len)
            warnings?.Add($"'{name}' is {len.TotalSeconds:0.0} s long: {chapters.Count - kept.Count} chapter(s) starting at or after its end (or at the same time as another) were left out.");
        if (kept.Count > MaxChapters)
        {
            warnings?.Add($"'{name}' has {kept.Count} chapters; an ID3v2 table of contents holds {MaxChapters}, so the first {MaxChapters} were written.");
            kept = kept.Take(MaxChapters).ToList();
        }
        return kept;
    }

    /// <summary>
    /// Writes the changes onto the MP3 in the output's temporary file and says what the file is now. A tag the writer
    /// refuses leaves the MP3 as it was (what was made or paid for is kept), said in <paramref name="warnings"/>.
    /// </summary>
    public static MediaFacts Apply(OutputFile output, Id3Changes changes, ICollection<string> warnings, CancellationToken ct)
    {
        try
        {
            output.Rewrite((from, to) => Id3v2Writer.Write(from, to, changes, ct));
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
        {
            warnings.Add($"The tags, chapters and cover could not be written to '{Path.GetFileName(output.Target)}' ({ex.Message}); the MP3 was kept without them.");
        }
        return MediaInspector.Inspect(output.TempPath);
    }
}
