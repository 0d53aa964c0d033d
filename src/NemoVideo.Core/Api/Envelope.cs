using System.Net;
using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>An unwrapped answer: the whole JSON and its payload.</summary>
internal readonly struct ApiReply
{
    public ApiReply(JsonElement root, JsonElement data, TimeSpan? retryAfter = null) { Root = root; Data = data; RetryAfter = retryAfter; }
    public JsonElement Root { get; }
    public JsonElement Data { get; }
    /// <summary>A Retry-After the server sent with a successful answer: a hint for pollers.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// Unwraps both envelope shapes — <c>{"code":0,"message","data"}</c> and <c>{"success","data","error"}</c> —
/// and turns every failure into a <see cref="NemoApiException"/>.
/// </summary>
internal static class Envelope
{
    public static ApiReply Unwrap(HttpStatusCode status, string? mediaType, string body, TimeSpan? retryAfter)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(string.IsNullOrWhiteSpace(body) ? "{}" : body);
        }
        catch (JsonException)
        {
            var what = (mediaType ?? "").Contains("html") ? "an HTML page" : "text that is not JSON";
            var ok = (int)status is >= 200 and < 300;
            throw Error(status, null, ok ? $"The server answered with {what} instead of JSON" : $"HTTP {(int)status} {status} (the server sent {what})",
                retryAfter, forceKind: ok ? NemoErrorKind.Protocol : null);
        }
        using (doc)
        {
            var root = doc.RootElement.Clone();
            if (root.ValueKind != JsonValueKind.Object)
                throw Error(status, null, "The server answered with JSON that is not an object", retryAfter, NemoErrorKind.Protocol);

            int? code = null;
            if (root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var ci)) code = ci;
            // "detail" is FastAPI's error shape, which the agent's ADK server answers with (no code, no envelope).
            string? message = Str(root, "message") ?? Str(root, "msg") ?? Str(root, "error") ?? ErrorObjectMessage(root) ?? Str(root, "detail");
            var success = root.TryGetProperty("success", out var s) ? s.ValueKind == JsonValueKind.True : (bool?)null;
            var isHttpOk = (int)status is >= 200 and < 300;

            var failed = !isHttpOk || (code.HasValue && code.Value != 0) || success == false;
            if (failed) throw Error(status, code is 0 ? null : code, message, retryAfter);

            var data = root.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d : root;
            return new ApiReply(root, data);
        }
    }

    /// <summary>Classifies a failure by NemoVideo code first, then by HTTP status.</summary>
    public static NemoApiException Error(HttpStatusCode status, int? code, string? message, TimeSpan? retryAfter, NemoErrorKind? forceKind = null)
    {
        var n = (int)status;
        var kind = forceKind ?? code switch
        {
            1001 or 1010 or 1011 => NemoErrorKind.TokenInvalid,
            1002 => NemoErrorKind.SessionNotFound,
            2001 => NemoErrorKind.InsufficientCredits,
            4001 => NemoErrorKind.UnsupportedFile,
            4002 => NemoErrorKind.FileTooLarge,
            _ => n switch
            {
                401 => NemoErrorKind.TokenInvalid,
                // ADK's /run_sse for a session it no longer has: {"detail":"Session not found: <id>"}
                404 when (message ?? "").StartsWith("Session not found", StringComparison.OrdinalIgnoreCase) => NemoErrorKind.SessionNotFound,
                402 => NemoErrorKind.PlanRequired,
                409 => NemoErrorKind.DuplicateRender,
                413 => NemoErrorKind.FileTooLarge,
                415 => NemoErrorKind.UnsupportedFile,
                429 => NemoErrorKind.RateLimited,
                400 when (message ?? "").IndexOf("client", StringComparison.OrdinalIgnoreCase) >= 0 => NemoErrorKind.MissingClientId,
                408 or >= 500 => NemoErrorKind.ServerError,
                _ when (message ?? "").IndexOf("duplicate", StringComparison.OrdinalIgnoreCase) >= 0 => NemoErrorKind.DuplicateRender,
                _ => NemoErrorKind.Unknown,
            },
        };
        var text = string.IsNullOrWhiteSpace(message) ? DefaultMessage(kind, status) : message!.Trim();
        var advice = kind == NemoErrorKind.RateLimited && retryAfter > TimeSpan.FromMinutes(1)
            ? $"The service asks to wait {Math.Ceiling(retryAfter.Value.TotalMinutes):0} minutes; try again then, or set NEMO_TOKEN to a token of your own."
            : null;
        return new NemoApiException(kind, text, code, n == 0 ? null : status, advice, retryAfter: retryAfter);
    }

    private static string DefaultMessage(NemoErrorKind kind, HttpStatusCode status) => kind switch
    {
        NemoErrorKind.TokenInvalid => "The token was rejected (bad or expired)",
        NemoErrorKind.SessionNotFound => "The session was not found",
        NemoErrorKind.InsufficientCredits => "Not enough credits",
        NemoErrorKind.UnsupportedFile => "The file type is not supported",
        NemoErrorKind.FileTooLarge => "The file is too large",
        NemoErrorKind.PlanRequired => "Export is blocked on the current plan (HTTP 402)",
        NemoErrorKind.RateLimited => "Too many requests (HTTP 429)",
        _ => $"HTTP {(int)status} {status}",
    };

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? ErrorObjectMessage(JsonElement root) =>
        root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? Str(e, "message") : null;
}
