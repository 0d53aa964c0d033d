using System.Globalization;
using System.Text;
using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>What kind of track a draft track is (the draft's <c>tt</c>).</summary>
public enum TrackKind
{
    Video = 0,
    Audio = 1,
    Text = 7,
    Other = -1,
}

/// <summary>One piece of a track on the timeline.</summary>
public sealed class TimelineSegment
{
    public string? Name { get; init; }
    public TimeSpan Start { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>Volume as a fraction (1 = 100 %), when the draft says.</summary>
    public double? Volume { get; init; }
    public TimeSpan End => Start + Duration;
}

/// <summary>One track of the draft.</summary>
public sealed class TimelineTrack
{
    public TrackKind Kind { get; init; }
    public int RawType { get; init; }
    public IReadOnlyList<TimelineSegment> Segments { get; init; } = Array.Empty<TimelineSegment>();
}

/// <summary>The latest state of a session: the draft and what the service knows of its media.</summary>
public sealed class SessionState
{
    /// <summary>The session this state belongs to.</summary>
    public string SessionId { get; init; } = "";
    /// <summary>The draft exactly as the server sent it; an export sends it back unchanged.</summary>
    public JsonElement Draft { get; init; }
    public IReadOnlyList<TimelineTrack> Tracks { get; init; } = Array.Empty<TimelineTrack>();
    public TimeSpan? Duration { get; init; }
    public string? Title { get; init; }
    public JsonElement VideoInfos { get; init; }
    public JsonElement CanvasConfig { get; init; }
    public JsonElement VideoAnalyses { get; init; }
    public JsonElement GeneratedMedia { get; init; }

    /// <summary>True when at least one track has a segment: only then can the draft be exported.</summary>
    public bool CanExport => Tracks.Any(t => t.Segments.Count > 0);

    /// <summary>A line a person can read, such as "Timeline (2 tracks): Video: clip (0-10s); Audio: clip (0-10s, 35%)".</summary>
    public string Summary => Summarize(Tracks);

    public override string ToString() => Summary;

    /// <summary>True when both states hold the same draft (compared as the server wrote it).</summary>
    public static bool SameDraft(SessionState a, SessionState b) =>
        a.Draft.ValueKind == b.Draft.ValueKind && (a.Draft.ValueKind == JsonValueKind.Undefined || a.Draft.GetRawText() == b.Draft.GetRawText());

    internal static SessionState Parse(JsonElement data, string sessionId = "")
    {
        var state = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("state", out var s) ? s : data;
        JsonElement Prop(string name) =>
            state.ValueKind == JsonValueKind.Object && state.TryGetProperty(name, out var v) ? v.Clone() : default;
        var draft = Prop("draft");
        var tracks = new List<TimelineTrack>();
        TimeSpan? duration = null;
        string? title = null;
        if (draft.ValueKind == JsonValueKind.Object)
        {
            if (draft.TryGetProperty("t", out var t) && t.ValueKind == JsonValueKind.Array)
                foreach (var track in t.EnumerateArray()) tracks.Add(ParseTrack(track));
            if (Number(draft, "d") is double d) duration = TimeSpan.FromMilliseconds(d);
            if (draft.TryGetProperty("m", out var m) && m.ValueKind == JsonValueKind.Object)
                title = Text(m, "title");
        }
        return new SessionState
        {
            SessionId = sessionId,
            Draft = draft, Tracks = tracks, Duration = duration, Title = title,
            VideoInfos = Prop("video_infos"), CanvasConfig = Prop("canvas_config"),
            VideoAnalyses = Prop("video_analyses"), GeneratedMedia = Prop("generated_media"),
        };
    }

    private static TimelineTrack ParseTrack(JsonElement track)
    {
        var raw = (int)(Number(track, "tt") ?? -1);
        var kind = raw switch { 0 => TrackKind.Video, 1 => TrackKind.Audio, 7 => TrackKind.Text, _ => TrackKind.Other };
        var segments = new List<TimelineSegment>();
        if (track.ValueKind == JsonValueKind.Object && track.TryGetProperty("sg", out var sg) && sg.ValueKind == JsonValueKind.Array)
        {
            foreach (var seg in sg.EnumerateArray())
            {
                var start = Number(seg, "st", "start", "s") ?? 0;
                var length = Number(seg, "d", "duration") ?? (Number(seg, "et", "end") is double end ? end - start : 0);
                var volume = Number(seg, "v", "vol", "volume");
                if (volume > 1) volume /= 100; // some drafts write percent
                segments.Add(new TimelineSegment
                {
                    Name = Text(seg, "n", "name", "title", "text", "content"),
                    Start = TimeSpan.FromMilliseconds(start),
                    Duration = TimeSpan.FromMilliseconds(Math.Max(0, length)),
                    Volume = volume,
                });
            }
        }
        return new TimelineTrack { Kind = kind, RawType = raw, Segments = segments };
    }

    internal static string Summarize(IReadOnlyList<TimelineTrack> tracks)
    {
        if (tracks.Count == 0) return "Timeline is empty";
        var sb = new StringBuilder();
        sb.Append("Timeline (").Append(tracks.Count).Append(tracks.Count == 1 ? " track): " : " tracks): ");
        var first = true;
        foreach (var track in tracks)
        {
            if (!first) sb.Append("; ");
            first = false;
            sb.Append(track.Kind switch { TrackKind.Video => "Video", TrackKind.Audio => "Audio", TrackKind.Text => "Title", _ => $"Track {track.RawType}" });
            sb.Append(": ");
            if (track.Segments.Count == 0) { sb.Append("(empty)"); continue; }
            sb.Append(string.Join(", ", track.Segments.Select(seg => DescribeSegment(seg, track.Kind))));
        }
        return sb.ToString();
    }

    private static string DescribeSegment(TimelineSegment seg, TrackKind kind)
    {
        var name = seg.Name ?? "untitled";
        if (kind == TrackKind.Text) name = "\"" + name + "\"";
        var range = $"{Seconds(seg.Start)}-{Seconds(seg.End)}s";
        return seg.Volume is double v && Math.Abs(v - 1) > 0.001
            ? $"{name} ({range}, {Math.Round(v * 100).ToString(CultureInfo.InvariantCulture)}%)"
            : $"{name} ({range})";
    }

    private static string Seconds(TimeSpan t) => Math.Round(t.TotalSeconds, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static double? Number(JsonElement e, params string[] names)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var n in names)
            if (e.TryGetProperty(n, out var v))
            {
                if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
                if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            }
        return null;
    }

    private static string? Text(JsonElement e, params string[] names)
    {
        if (e.ValueKind != JsonValueKind.Object) return null;
        foreach (var n in names)
            if (e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString();
        return null;
    }
}
