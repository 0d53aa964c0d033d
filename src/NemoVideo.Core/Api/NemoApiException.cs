using System.Net;

namespace NemoVideo.Api;

/// <summary>
/// The one exception the NemoVideo client throws for API failures. It carries the NemoVideo code,
/// the HTTP status and <see cref="Advice"/>, a sentence telling the user what to do. It never holds a token.
/// </summary>
public sealed class NemoApiException : Exception
{
    public NemoApiException(NemoErrorKind kind, string message, int? code = null, HttpStatusCode? status = null,
        string? advice = null, Exception? inner = null, TimeSpan? retryAfter = null)
        : base(Compose(message, advice ?? DefaultAdvice(kind)), inner)
    {
        Kind = kind;
        Code = code;
        StatusCode = status;
        Advice = advice ?? DefaultAdvice(kind);
        HasSpecificAdvice = advice != null;
        RetryAfter = retryAfter;
        ServerMessage = message;
    }

    /// <summary>The classified failure.</summary>
    public NemoErrorKind Kind { get; }
    /// <summary>The NemoVideo error code, when the server sent one.</summary>
    public int? Code { get; }
    /// <summary>The HTTP status, when there was a response.</summary>
    public HttpStatusCode? StatusCode { get; }
    /// <summary>What the user should do about it.</summary>
    public string Advice { get; }
    /// <summary>The server's hint of how long to wait, from Retry-After.</summary>
    public TimeSpan? RetryAfter { get; }
    /// <summary>The message without the advice.</summary>
    public string ServerMessage { get; }

    /// <summary>
    /// The origin (scheme://host:port) that gave no answer at all — refused, reset or silent before its status line —
    /// or null when there was an answer (or none was asked for). Set by the client where the request was sent.
    /// </summary>
    internal string? NoAnswerFrom { get; set; }

    /// <summary>The request may have reached the service although no answer came (a dropped /run_sse): sending it again could be charged twice.</summary>
    internal bool DoNotRepeat { get; set; }

    /// <summary>True where trying the same request again later may succeed.</summary>
    public bool IsTransient => Kind is NemoErrorKind.ServerError or NemoErrorKind.RateLimited;

    private static string Compose(string message, string advice) =>
        string.IsNullOrEmpty(advice) ? message : $"{message.TrimEnd('.')}. {advice}";

    /// <summary>True when the advice was written for this very failure (a registration link, a wait), not the kind's default.</summary>
    public bool HasSpecificAdvice { get; private set; }

    /// <summary>
    /// What to do about a kind of failure, in one sentence, in terms of the service and the environment only: the
    /// PowerShell layer says it in terms of its cmdlets and parameters.
    /// </summary>
    public static string DefaultAdvice(NemoErrorKind kind) => kind switch
    {
        NemoErrorKind.TokenInvalid => "Connect again; if NEMO_TOKEN or a token was given, replace it with a valid token or remove it to use a free anonymous token.",
        NemoErrorKind.SessionNotFound => "Start a new session.",
        NemoErrorKind.InsufficientCredits => "Top up your credits, or convert on this machine with the local engine.",
        NemoErrorKind.UnsupportedFile => "Use a video (mp4, mov, avi, webm, mkv), image (jpg, png, gif, webp) or audio file (mp3, wav, m4a, aac).",
        NemoErrorKind.FileTooLarge => "Files may be at most 500 MB; split or compress the file on this machine first.",
        NemoErrorKind.MissingClientId => "The client id file could not be read; check the client_id file in the config folder (NEMO_CONFIG_DIR).",
        NemoErrorKind.PlanRequired => "This token may not export (free anonymous tokens lack the render scope; this is not about credits): create a token at nemovideo.com (Settings, API Tokens) and use it through NEMO_TOKEN, or convert on this machine with the local engine, which needs no token.",
        NemoErrorKind.RateLimited => "The service is rate limiting; wait a little and try again.",
        NemoErrorKind.ServerError => "The NemoVideo service had a problem; try again in a few minutes.",
        NemoErrorKind.Protocol => "The answer did not come from the NemoVideo API as expected; check the API address (NEMO_API_URL) and any proxy in between.",
        NemoErrorKind.RenderFailed => "The export failed on the server; try again, and if it fails again check the source file.",
        NemoErrorKind.DuplicateRender => "Try the export again; a new render id will be used.",
        NemoErrorKind.Timeout => "Allow more time, or check the render later by its id.",
        NemoErrorKind.AgentError => "Rephrase the request or try again.",
        NemoErrorKind.TokenRateLimited => "A token of your own avoids the limit: create one at nemovideo.com (Settings, API Tokens) and put it in NEMO_TOKEN.",
        NemoErrorKind.WrongOutput => "Convert on this machine with the local engine, or install ffmpeg so that such results are finished here.",
        NemoErrorKind.Unreachable => "Check the address: NEMO_API_URL (default https://mega-api-prod.nemovideo.ai), and any proxy.",
        NemoErrorKind.Outage => "Run it again once the service answers: what was already paid for is kept and picked up then, without paying again.",
        NemoErrorKind.ConfigNotWritable => "Set NEMO_CONFIG_DIR to a folder this account can write, or NEMO_TOKEN to a token, which needs no folder.",
        _ => "",
    };
}
