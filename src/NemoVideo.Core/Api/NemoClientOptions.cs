using System.Net;
using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo.Api;

/// <summary>How a <see cref="Api.NemoApiClient"/> reaches the service and how hard it tries.</summary>
public sealed class NemoClientOptions
{
    /// <summary>The X-Skill-Source of MP3 work, and of calls made outside a job: the seed skill "ffmpeg-video-to-mp3".</summary>
    public const string Mp3Skill = "ffmpeg-video-to-mp3";
    /// <summary>The X-Skill-Source of compression jobs: the seed skill "video-compressor-bitrate".</summary>
    public const string CompressSkill = "video-compressor-bitrate";
    /// <summary>The web app for workspace links, unless NEMO_WEB_URL says otherwise.</summary>
    public static readonly Uri DefaultWebUri = new("https://nemovideo.com/");
    /// <summary>The production API.</summary>
    public static readonly Uri ProductionBaseUri = new("https://mega-api-prod.nemovideo.ai/");

    /// <summary>The API base; <see cref="ResolveBaseUri"/> reads NEMO_API_URL.</summary>
    public Uri BaseUri { get; set; } = ProductionBaseUri;
    /// <summary>The X-Skill-Version header: the module version.</summary>
    public string SkillVersion { get; set; } = typeof(NemoClientOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    /// <summary>The X-Skill-Platform header; null for SKILL_SOURCE, else "unknown" (only clawhub, cursor and unknown are documented).</summary>
    public string? SkillPlatform { get; set; }
    /// <summary>Allow plain http:// to a host that is not loopback (tokens would cross the network unencrypted).</summary>
    public bool AllowInsecureHttp { get; set; }
    /// <summary>How long one ordinary API call may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
    /// <summary>How long the agent's event stream may run (the API allows 15 minutes).</summary>
    public TimeSpan AgentTimeout { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>How long the agent may send nothing but heartbeats before the turn counts as timed out (the skill: 10 minutes).</summary>
    public TimeSpan AgentQuietTimeout { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long an upload or download may go without moving a byte.</summary>
    public TimeSpan TransferIdleTimeout { get; set; } = TimeSpan.FromSeconds(120);
    /// <summary>Retries of transient faults.</summary>
    public RetrySettings Retry { get; set; } = new();
    /// <summary>The default <see cref="OutageWindow"/>: five minutes.</summary>
    public static readonly TimeSpan DefaultOutageWindow = TimeSpan.FromMinutes(5);
    /// <summary>
    /// How long the client waits out a service that answered earlier on this client and then stops answering (connection
    /// refused or reset, no answer in time), trying again with backoff, before it gives up with <see cref="NemoErrorKind.Outage"/>.
    /// An address that never answered is not waited for. Zero turns this off. NEMO_OUTAGE_WINDOW sets it (<see cref="ResolveOutageWindow"/>).
    /// </summary>
    public TimeSpan OutageWindow { get; set; } = DefaultOutageWindow;
    /// <summary>Called after every HTTP attempt (for -Verbose). Never given the token.</summary>
    public Action<HttpCallRecord>? Trace { get; set; }

    /// <summary>The explicit address, else NEMO_API_URL, else production.</summary>
    public static Uri ResolveBaseUri(string? explicitUri, NemoEnvironment environment)
    {
        var text = !string.IsNullOrWhiteSpace(explicitUri) ? explicitUri : environment.GetVariable("NEMO_API_URL");
        if (string.IsNullOrWhiteSpace(text)) return ProductionBaseUri;
        if (!Uri.TryCreate(text!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            throw new NemoApiException(NemoErrorKind.InvalidRequest, $"'{text}' is not an http(s) address",
                advice: "Give the API address (or NEMO_API_URL) as https://host[:port].");
        return uri;
    }

    /// <summary>NEMO_OUTAGE_WINDOW, in seconds (or as hh:mm:ss), else <see cref="DefaultOutageWindow"/>; 0 turns the wait off.</summary>
    public static TimeSpan ResolveOutageWindow(NemoEnvironment environment)
    {
        var text = environment.GetVariable("NEMO_OUTAGE_WINDOW")?.Trim();
        if (string.IsNullOrEmpty(text)) return DefaultOutageWindow;
        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds)
            return TimeSpan.FromSeconds(seconds);
        if (text!.Contains(":") && TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero && span <= TimeSpan.FromDays(1))
            return span;
        throw new NemoApiException(NemoErrorKind.InvalidRequest, $"NEMO_OUTAGE_WINDOW is '{text}', not a number of seconds",
            advice: "Set NEMO_OUTAGE_WINDOW to how many seconds to wait out a service that stops answering (for example 600), 0 to give up at once, or remove it for the default 5 minutes.");
    }

    /// <summary>Refuses settings that would put the token at risk.</summary>
    public void Validate()
    {
        if (!BaseUri.IsAbsoluteUri || (BaseUri.Scheme != Uri.UriSchemeHttps && BaseUri.Scheme != Uri.UriSchemeHttp))
            throw new NemoApiException(NemoErrorKind.InvalidRequest, $"'{BaseUri}' is not an http(s) address", advice: "Give the API address as https://host[:port].");
        if (BaseUri.Scheme == Uri.UriSchemeHttp && !IsLoopback(BaseUri) && !AllowInsecureHttp)
            throw new NemoApiException(NemoErrorKind.InsecureHttp,
                $"Refusing plain http:// to {BaseUri.Host}: the token would travel unencrypted",
                advice: "Use https://, or allow insecure http explicitly if this network is trusted.");
    }

    internal static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}

/// <summary>How transient faults (5xx, 429, dropped connections, timeouts) are retried.</summary>
public sealed class RetrySettings
{
    /// <summary>Retries after the first attempt.</summary>
    public int MaxRetries { get; set; } = 4;
    /// <summary>The first backoff; it doubles each time, with jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>No single wait is longer than this, whatever Retry-After says.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>The wait after a 429 that names none (the API documents 30 seconds).</summary>
    public TimeSpan RateLimitDelay { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>One HTTP attempt, or the decision to retry one, as -Verbose shows it. Holds no token.</summary>
public sealed class HttpCallRecord
{
    /// <summary>The file whose job made the call, when it was a job's.</summary>
    public string? Label { get; init; }
    /// <summary>For a retry: which one (1 = the first retry), of how many at most, after what wait.</summary>
    public int? RetryAttempt { get; init; }
    public int? RetryAttempts { get; init; }
    public TimeSpan? RetryDelay { get; init; }
    public string Method { get; init; } = "";
    /// <summary>Path only; query strings are left out.</summary>
    public string Path { get; init; } = "";
    public int? StatusCode { get; init; }
    public TimeSpan Elapsed { get; init; }
    /// <summary>What failed when there was no status.</summary>
    public string? Error { get; init; }
    /// <summary>Not a call: something the client decided that -Verbose should say (the token it uses changed). Holds no token.</summary>
    public string? Note { get; init; }
    /// <summary>For a wait through an outage (a service that answered, then stopped): when the wait ends at the latest.</summary>
    public DateTimeOffset? OutageUntil { get; init; }

    public override string ToString() => (Label is null ? "" : $"[{Label}] ") + (Note is not null ? Note : RetryDelay is TimeSpan wait
        ? OutageUntil is DateTimeOffset until
            ? $"{Error ?? "No answer"}: the service answered before, so this is waited out: trying again in {wait.TotalSeconds:0.0} s (attempt {RetryAttempt}; giving up at {until.ToLocalTime():HH:mm:ss})"
            : $"{Error ?? "A transient failure"}: retry {RetryAttempt} of {RetryAttempts} in {wait.TotalSeconds:0.0} s"
        : $"{Method} {Path} -> {(StatusCode?.ToString() ?? Error ?? "no answer")} in {Elapsed.TotalMilliseconds:0} ms");
}
