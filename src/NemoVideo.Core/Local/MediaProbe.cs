using System.Globalization;
using System.Text.Json;

using NemoVideo.Media;

namespace NemoVideo.Local;

/// <summary>One stream of a media file.</summary>
public sealed class MediaStream
{
    /// <summary>The stream's index in the file.</summary>
    public int Index { get; init; }
    /// <summary>Its index among the streams of its type (0 = the first audio stream), as ffmpeg's 0:a:N counts.</summary>
    public int TypeIndex { get; init; }
    /// <summary>audio, video, subtitle, data.</summary>
    public string Type { get; init; } = "";
    public string Codec { get; init; } = "";
    /// <summary>The language tag (ISO 639-2, such as eng), when there is one.</summary>
    public string? Language { get; init; }
    public string? Title { get; init; }
    public long? BitRate { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public int? Channels { get; init; }
    public int? SampleRate { get; init; }
    /// <summary>ffmpeg's sample format of decoded audio (s16, s32, fltp…), when ffprobe said.</summary>
    public string? SampleFormat { get; init; }
    /// <summary>An attached picture (cover art) rather than real video.</summary>
    public bool IsAttachedPicture { get; init; }
}

/// <summary>What ffprobe says about a file.</summary>
public sealed class MediaInfo
{
    public string Path { get; init; } = "";
    public TimeSpan? Duration { get; init; }
    public string FormatName { get; init; } = "";
    public IReadOnlyList<MediaStream> Streams { get; init; } = Array.Empty<MediaStream>();
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<MediaStream> AudioStreams => Streams.Where(s => s.Type == "audio").ToList();
    public MediaStream? Video => Streams.FirstOrDefault(s => s.Type == "video" && !s.IsAttachedPicture);
}

/// <summary>Runs ffprobe and reads its JSON, turning every way a file can be bad into a clear error.</summary>
public static class MediaProbe
{
    public static async Task<MediaInfo> ProbeAsync(FfmpegTools tools, string path, CancellationToken ct = default)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new MediaInputException(InputProblem.Missing, path, $"'{path}' does not exist");
        if (file.Length == 0)
            throw new MediaInputException(InputProblem.Empty, file.FullName, $"'{file.Name}' is empty (0 bytes)");
        var run = await FfmpegTools.RunAsync(tools.Ffprobe,
            new[] { "-v", "error", "-print_format", "json", "-show_format", "-show_streams", file.FullName }, null, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
            throw new MediaInputException(InputProblem.NotMedia, file.FullName,
                $"'{file.Name}' is not a media file ffprobe can read, or it is damaged or truncated (ffprobe said: {LastLines(run.Stderr)?.Trim()})");
        MediaInfo info;
        try { info = Parse(run.Stdout, file.FullName); }
        catch (JsonException ex)
        {
            throw new MediaInputException(InputProblem.NotMedia, file.FullName, $"ffprobe's description of '{file.Name}' could not be read (an old ffmpeg?)", inner: ex);
        }
        // ffprobe guesses a raw format from the name alone ("raw FLAC" of a text file named .flac): a stream with no
        // channels or no picture is not one.
        if (!info.Streams.Any(s => s.Type == "audio" ? s.Channels is > 0 : s.Type == "video" && s.Width is > 0))
            throw new MediaInputException(InputProblem.NotMedia, file.FullName, $"'{file.Name}' holds no audio or video");
        return info;
    }

    /// <summary>
    /// What an MP3 job needs to know of a source — its audio tracks (codec, language, channels, rate) and length — from the
    /// managed inspector, without starting ffprobe; null when the inspector cannot answer all of it (then ffprobe does).
    /// </summary>
    internal static MediaInfo? FromFacts(string path, Media.MediaFacts facts)
    {
        if (facts.Truncated || !facts.HasAudio || facts.Duration is null) return null;
        IReadOnlyList<Media.AudioTrackFacts> tracks = facts.Container switch
        {
            Media.MediaContainer.Mp4 or Media.MediaContainer.Matroska => facts.AudioTracks,
            Media.MediaContainer.Mp3 or Media.MediaContainer.Wave => new[] { new Media.AudioTrackFacts { Codec = facts.AudioCodec, Channels = facts.Channels, SampleRate = facts.SampleRate } },
            _ => Array.Empty<Media.AudioTrackFacts>(),
        };
        if (tracks.Count == 0 || tracks.Any(t => string.IsNullOrEmpty(t.Codec) || t.Codec == "audio")) return null;
        var streams = new List<MediaStream>();
        if (facts.HasVideo) streams.Add(new MediaStream { Index = 0, TypeIndex = 0, Type = "video", Codec = facts.VideoCodec ?? "", Width = facts.Width, Height = facts.Height });
        for (var i = 0; i < tracks.Count; i++)
            streams.Add(new MediaStream
            {
                Index = streams.Count, TypeIndex = i, Type = "audio", Codec = tracks[i].Codec!, Language = tracks[i].Language, Title = tracks[i].Title,
                Channels = tracks[i].Channels, SampleRate = tracks[i].SampleRate,
                BitRate = i == 0 && facts.AudioBitrateKbps is int kbps ? kbps * 1000L : null,
            });
        return new MediaInfo { Path = path, Duration = facts.Duration, FormatName = facts.Container.ToString().ToLowerInvariant(), Streams = streams };
    }

    internal static MediaInfo Parse(string json, string path)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var streams = new List<MediaStream>();
        var perType = new Dictionary<string, int>();
        if (root.TryGetProperty("streams", out var ss))
            foreach (var s in ss.EnumerateArray())
            {
                var type = Str(s, "codec_type") ?? "data";
                perType.TryGetValue(type, out var n);
                perType[type] = n + 1;
                var tags = s.TryGetProperty("tags", out var t) ? t : default;
                var disposition = s.TryGetProperty("disposition", out var d) ? d : default;
                streams.Add(new MediaStream
                {
                    Index = s.TryGetProperty("index", out var i) ? i.GetInt32() : streams.Count,
                    TypeIndex = n, Type = type, Codec = Str(s, "codec_name") ?? "",
                    Language = Tag(tags, "language"), Title = Tag(tags, "title"),
                    BitRate = Long(s, "bit_rate"), Width = Int(s, "width"), Height = Int(s, "height"), Channels = Int(s, "channels"),
                    SampleRate = Long(s, "sample_rate") is long rate ? (int)rate : null, SampleFormat = Str(s, "sample_fmt"),
                    IsAttachedPicture = disposition.ValueKind == JsonValueKind.Object && disposition.TryGetProperty("attached_pic", out var ap) && ap.ValueKind == JsonValueKind.Number && ap.GetInt32() == 1,
                });
            }
        var format = root.TryGetProperty("format", out var f) ? f : default;
        var formatTags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (format.ValueKind == JsonValueKind.Object && format.TryGetProperty("tags", out var ft) && ft.ValueKind == JsonValueKind.Object)
            foreach (var p in ft.EnumerateObject()) if (p.Value.ValueKind == JsonValueKind.String) formatTags[p.Name] = p.Value.GetString()!;
        var seconds = format.ValueKind == JsonValueKind.Object && double.TryParse(Str(format, "duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var sec) ? sec : (double?)null;
        return new MediaInfo
        {
            Path = path, Duration = seconds is double v ? TimeSpan.FromSeconds(v) : null,
            FormatName = format.ValueKind == JsonValueKind.Object ? Str(format, "format_name") ?? "" : "", Streams = streams, Tags = formatTags,
        };
    }

    /// <summary>
    /// The last lines ffmpeg or ffprobe wrote, to quote to a user: without the "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x562b51a69180] "
    /// each line starts with (which part of ffmpeg spoke, and where in its memory), only the words.
    /// </summary>
    internal static string LastLines(string text, int lines = 6) =>
        string.Join(Environment.NewLine, Enumerable.Reverse(Enumerable.Reverse(text.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(line => LogPrefix.Replace(line, "")).Where(line => line.Trim().Length > 0)).Take(lines)));

    private static readonly System.Text.RegularExpressions.Regex LogPrefix = new(@"^(\[[^\]\[]* @ (0x)?[0-9a-fA-F]+\] *)+");

    private static string? Str(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    private static string? Tag(JsonElement tags, string name)
    {
        if (tags.ValueKind != JsonValueKind.Object) return null;
        foreach (var p in tags.EnumerateObject())
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase) && p.Value.ValueKind == JsonValueKind.String) return p.Value.GetString();
        return null;
    }
    private static long? Long(JsonElement e, string name) => long.TryParse(Str(e, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
    private static int? Int(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
