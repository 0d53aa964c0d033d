using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>
/// Media paths in a draft that point inside the service (<c>/mnt/userdata/…/clip.mp4</c>) are rewritten to that
/// file's <c>cdn_url</c> before rendering, as the official CLI does, so the renderer can reach them.
/// </summary>
public static class DraftMedia
{
    /// <summary>Where the service keeps a session's files; the renderer cannot read there.</summary>
    public const string ServicePathPrefix = "/mnt/userdata/";

    /// <summary>
    /// The draft with every service path whose file name is known replaced by its CDN address; names come from the
    /// upload answer and the state's <c>video_infos</c>. Paths of unknown files are left as they are.
    /// </summary>
    public static JsonElement RewriteServicePaths(JsonElement draft, IEnumerable<UploadedAsset> uploads, JsonElement videoInfos = default)
    {
        if (draft.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)) return draft;
        var urls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        CollectInfos(videoInfos, urls);
        // The upload's own answer is the most direct word on where its file is: it wins over the state.
        foreach (var asset in uploads)
            if (asset.CdnUrl != null && asset.FileName.Length > 0) urls[asset.FileName] = asset.CdnUrl.AbsoluteUri;
        if (urls.Count == 0 || !Mentions(draft)) return draft;

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(draft, writer, urls);
        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    private static bool Mentions(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString()!.StartsWith(ServicePathPrefix, StringComparison.Ordinal),
        JsonValueKind.Object => e.EnumerateObject().Any(p => Mentions(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().Any(Mentions),
        _ => false,
    };

    private static void Write(JsonElement e, Utf8JsonWriter w, IReadOnlyDictionary<string, string> urls)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                w.WriteStartObject();
                foreach (var p in e.EnumerateObject()) { w.WritePropertyName(p.Name); Write(p.Value, w, urls); }
                w.WriteEndObject();
                break;
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var item in e.EnumerateArray()) Write(item, w, urls);
                w.WriteEndArray();
                break;
            case JsonValueKind.String when e.GetString() is string s && s.StartsWith(ServicePathPrefix, StringComparison.Ordinal)
                                           && urls.TryGetValue(s.Substring(s.LastIndexOf('/') + 1), out var url):
                w.WriteStringValue(url);
                break;
            default:
                e.WriteTo(w);
                break;
        }
    }

    /// <summary>video_infos entries (an array, or an object keyed by id) that name a file and its cdn_url.</summary>
    private static void CollectInfos(JsonElement infos, Dictionary<string, string> urls)
    {
        IEnumerable<JsonElement> entries = infos.ValueKind switch
        {
            JsonValueKind.Array => infos.EnumerateArray(),
            JsonValueKind.Object => infos.EnumerateObject().Select(p => p.Value),
            _ => Enumerable.Empty<JsonElement>(),
        };
        foreach (var entry in entries)
        {
            if (entry.ValueKind != JsonValueKind.Object) continue;
            var cdn = Str(entry, "cdn_url") ?? Str(entry, "cdnUrl") ?? Str(entry, "url");
            if (cdn is null || !Uri.TryCreate(cdn, UriKind.Absolute, out _)) continue;
            foreach (var key in new[] { "filename", "file_name", "name", "path", "local_path" })
                if (Str(entry, key) is string name && name.Length > 0) urls[name.Substring(name.LastIndexOf('/') + 1)] = cdn;
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
