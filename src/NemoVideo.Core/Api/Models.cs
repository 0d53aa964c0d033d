using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>A NemoVideo editing session: the unit every upload, message, state and export belongs to.</summary>
public sealed class NemoSession
{
    public NemoSession(string taskId, string sessionId, string? userId)
    {
        TaskId = taskId;
        SessionId = sessionId;
        UserId = userId;
    }

    /// <summary>The task id (task_…).</summary>
    public string TaskId { get; }
    /// <summary>The session id: a long number kept as a string.</summary>
    public string SessionId { get; }
    /// <summary>The account the session belongs to.</summary>
    public string? UserId { get; }

    public override string ToString() => SessionId;
}

/// <summary>A file the service accepted into a session.</summary>
public sealed class UploadedAsset
{
    /// <summary>The session the file was uploaded to (so it pipes on to Send-NemoMessage).</summary>
    public string SessionId { get; init; } = "";
    public string FileName { get; init; } = "";
    public string? FileType { get; init; }
    public Uri? CdnUrl { get; init; }
    public TimeSpan? Duration { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? Fps { get; init; }
    public string? Hash { get; init; }

    internal static UploadedAsset From(UploadFileDto f, string sessionId) => new()
    {
        SessionId = sessionId,
        FileName = f.Filename ?? "",
        FileType = f.FileType,
        CdnUrl = Uri.TryCreate(f.CdnUrl, UriKind.Absolute, out var u) ? u : null,
        Duration = f.Duration is double d ? TimeSpan.FromSeconds(d) : null,
        Width = f.Width,
        Height = f.Height,
        Fps = f.Fps,
        Hash = f.Hash,
    };

    public override string ToString() => FileName;
}

/// <summary>The answer to an upload.</summary>
public sealed class UploadResult
{
    public UploadResult(string sessionId, IReadOnlyList<UploadedAsset> files, bool sessionStateApplied)
    {
        SessionId = sessionId;
        Files = files;
        SessionStateApplied = sessionStateApplied;
    }

    public string SessionId { get; }
    public IReadOnlyList<UploadedAsset> Files { get; }
    public bool SessionStateApplied { get; }
}

/// <summary>The account's credits.</summary>
public sealed class CreditBalance
{
    public decimal Available { get; init; }
    public decimal Frozen { get; init; }
    /// <summary>The total as sent, or granted minus consumed, or available plus frozen.</summary>
    public decimal Total { get; init; }
    public decimal? TotalGranted { get; init; }
    public decimal? TotalConsumed { get; init; }

    internal static CreditBalance From(CreditsDto d)
    {
        var available = d.Available ?? 0;
        var frozen = d.Frozen ?? 0;
        var total = d.Total
            ?? (d.TotalGranted is decimal g && d.TotalConsumed is decimal c ? g - c : available + frozen);
        return new CreditBalance
        {
            Available = available, Frozen = frozen, Total = total,
            TotalGranted = d.TotalGranted, TotalConsumed = d.TotalConsumed,
        };
    }

    public override string ToString() => $"{Available} available, {Frozen} frozen";
}

/// <summary>Where a render is in its life.</summary>
public enum RenderStatus
{
    Unknown,
    Pending,
    Processing,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>An export job on the server.</summary>
public sealed class RenderJob
{
    public string Id { get; init; } = "";
    public RenderStatus Status { get; init; }
    /// <summary>0 to 100.</summary>
    public double Progress { get; init; }
    /// <summary>Where the finished file can be fetched (a CDN: never sent the token).</summary>
    public Uri? OutputUrl { get; init; }
    public DateTimeOffset? CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public string? Error { get; init; }
    /// <summary>The server's hint of when to ask again, if it gave one.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public bool IsFinished => Status is RenderStatus.Completed or RenderStatus.Failed or RenderStatus.Cancelled;

    /// <summary>Reads every documented variant: data.status + data.outputUrl, or top-level status + output.url.</summary>
    internal static RenderJob FromEnvelope(JsonElement root, JsonElement data, string fallbackId)
    {
        string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        double? Num(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        string? OutputUrlOf(JsonElement e)
        {
            var direct = Str(e, "outputUrl") ?? Str(e, "output_url");
            if (direct != null) return direct;
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("output", out var o))
                return o.ValueKind == JsonValueKind.String ? o.GetString() : Str(o, "url");
            return null;
        }

        var status = Str(data, "status") ?? Str(root, "status");
        var url = OutputUrlOf(data) ?? OutputUrlOf(root);
        var progress = Num(data, "progress") ?? Num(root, "progress");
        var created = Num(data, "createdAt") ?? Num(root, "createdAt");
        var completed = Num(data, "completedAt") ?? Num(root, "completedAt");
        var parsed = ParseStatus(status);
        return new RenderJob
        {
            Id = Str(data, "id") ?? Str(root, "id") ?? fallbackId,
            Status = parsed,
            Progress = progress ?? (parsed == RenderStatus.Completed ? 100 : 0),
            OutputUrl = Uri.TryCreate(url, UriKind.Absolute, out var u) ? u : null,
            CreatedAt = created is double c ? DateTimeOffset.FromUnixTimeMilliseconds((long)c) : null,
            CompletedAt = completed is double d ? DateTimeOffset.FromUnixTimeMilliseconds((long)d) : null,
            Error = Str(data, "error") ?? Str(root, "error") ?? Str(data, "message"),
        };
    }

    internal RenderJob WithRetryAfter(TimeSpan hint) => Copy(Status, hint);
    internal RenderJob WithStatus(RenderStatus status) => Copy(status, RetryAfter);

    private RenderJob Copy(RenderStatus status, TimeSpan? retryAfter) => new()
    {
        Id = Id, Status = status, Progress = Progress, OutputUrl = OutputUrl, CreatedAt = CreatedAt,
        CompletedAt = CompletedAt, Error = Error, RetryAfter = retryAfter,
    };

    internal static RenderStatus ParseStatus(string? s) => s?.ToLowerInvariant() switch
    {
        "pending" or "queued" => RenderStatus.Pending,
        "processing" or "rendering" or "running" => RenderStatus.Processing,
        "completed" or "complete" or "done" or "success" or "succeeded" => RenderStatus.Completed,
        "failed" or "error" => RenderStatus.Failed,
        "cancelled" or "canceled" => RenderStatus.Cancelled,
        _ => RenderStatus.Unknown,
    };

    public override string ToString() => $"{Id} {Status} {Progress:0}%";
}
