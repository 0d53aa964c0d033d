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

    /// <summary>
    /// The changes for an MP3 (<paramref name="made"/>, as it is now) made from a source of <paramref name="source"/> facts,
    /// or null when there is nothing to write: what the source carries and the MP3 lacks (ffmpeg carries tags and
    /// chapters itself; the cloud's MP3 has none of them), with the request's own over it.
    /// </summary>
    public static Id3Changes? ChangesFor(Mp3Request request, MediaFacts source, MediaFacts made)
    {
        var changes = new Id3Changes();
        foreach (var tag in source.Tags)
            if (CarriedTags.Contains(tag.Key, StringComparer.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(tag.Value) && !made.Tags.ContainsKey(tag.Key))
                changes.Tags[tag.Key] = tag.Value;
        foreach (var tag in request.Tags)
        {
            var value = string.IsNullOrWhiteSpace(tag.Value) ? null : tag.Value;
            if (value != null || made.Tags.ContainsKey(tag.Key)) changes.Tags[tag.Key] = value;
        }
        changes.Chapters = request.Chapters ?? (made.Chapters.Count == 0 && source.Chapters.Count > 0 ? source.Chapters : null);
        changes.Cover = request.Cover ?? (made.Cover is null ? source.Cover : null);
        return changes.Tags.Count == 0 && changes.Chapters is null && changes.Cover is null ? null : changes;
    }

    /// <summary>Writes the changes onto the MP3 in the output's temporary file and says what the file is now.</summary>
    public static MediaFacts Apply(OutputFile output, Id3Changes changes, CancellationToken ct)
    {
        output.Rewrite((from, to) => Id3v2Writer.Write(from, to, changes, ct));
        return MediaInspector.Inspect(output.TempPath);
    }
}
