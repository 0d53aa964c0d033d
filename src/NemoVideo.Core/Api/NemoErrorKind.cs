namespace NemoVideo.Api;

/// <summary>What went wrong, in terms a caller can act on.</summary>
public enum NemoErrorKind
{
    /// <summary>Anything not classified below.</summary>
    Unknown,
    /// <summary>Code 1001 (or 1010/1011, HTTP 401): the token is bad or expired.</summary>
    TokenInvalid,
    /// <summary>Code 1002: the session does not exist (any more).</summary>
    SessionNotFound,
    /// <summary>Code 2001: not enough credits.</summary>
    InsufficientCredits,
    /// <summary>Code 4001: the file type is not accepted.</summary>
    UnsupportedFile,
    /// <summary>Code 4002: the file is over the size limit.</summary>
    FileTooLarge,
    /// <summary>HTTP 400 without an X-Client-Id header.</summary>
    MissingClientId,
    /// <summary>HTTP 402: export is blocked on the current plan.</summary>
    PlanRequired,
    /// <summary>HTTP 429: rate limited.</summary>
    RateLimited,
    /// <summary>HTTP 5xx or a dropped connection: usually worth a retry.</summary>
    ServerError,
    /// <summary>The answer was not what the API documents (HTML page, malformed JSON).</summary>
    Protocol,
    /// <summary>A render ended with status failed.</summary>
    RenderFailed,
    /// <summary>A render id was already used.</summary>
    DuplicateRender,
    /// <summary>A render did not finish in the time allowed.</summary>
    Timeout,
    /// <summary>The agent reported an error on the event stream.</summary>
    AgentError,
    /// <summary>The request was refused before it was sent (bad argument, insecure address).</summary>
    InvalidRequest,
    /// <summary>HTTP 429 on the anonymous-token call: no new free token until the service's limit resets.</summary>
    TokenRateLimited,
    /// <summary>The service returned something other than what was asked (a video for an MP3, a damaged file), and it could not be finished here.</summary>
    WrongOutput,
    /// <summary>Nothing answers at the address (connection refused, unknown host): the address is wrong, not the service busy.</summary>
    Unreachable,
    /// <summary>The config folder (token cache, client id) cannot be written.</summary>
    ConfigNotWritable,
    /// <summary>Plain http:// to a host that is not this machine: the token would cross the network unencrypted.</summary>
    InsecureHttp,
    /// <summary>
    /// The service had answered, then stopped answering (refused, reset, no answer in time) and did not answer again within
    /// the outage window (<see cref="NemoClientOptions.OutageWindow"/>): a batch stops starting files, and paid work waits in the journal.
    /// </summary>
    Outage,
}
