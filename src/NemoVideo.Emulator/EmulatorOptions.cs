namespace NemoVideo.Emulator;

/// <summary>Which of the two documented SSE event shapes the agent speaks.</summary>
public enum SseShape
{
    /// <summary>{"type":"text","content":…}, tool_call, tool_result, heartbeat.</summary>
    Simple,
    /// <summary>Google ADK whole events: {"content":{"parts":[…]}}.</summary>
    Adk,
}

/// <summary>Where a render answer puts its status and URL.</summary>
public enum RenderShape
{
    /// <summary>data.status + data.outputUrl.</summary>
    Data,
    /// <summary>top-level status + output.url.</summary>
    TopLevel,
}

/// <summary>Which fields the credit balance carries.</summary>
public enum CreditsShape
{
    /// <summary>available, frozen, total.</summary>
    Total,
    /// <summary>available, frozen, total_granted, total_consumed.</summary>
    GrantedConsumed,
}

/// <summary>How the emulator behaves. Every knob a test or demo may want.</summary>
public sealed class EmulatorOptions
{
    public SseShape SseShape { get; set; } = SseShape.Simple;
    public RenderShape RenderShape { get; set; } = RenderShape.Data;
    public CreditsShape CreditsShape { get; set; } = CreditsShape.Total;
    /// <summary>Credits an anonymous token starts with.</summary>
    public int AnonymousCredits { get; set; } = 100;
    /// <summary>Credits one agent edit costs.</summary>
    public int EditCost { get; set; } = 50;
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);
    /// <summary>New anonymous tokens one address may get per hour.</summary>
    public int AnonymousTokensPerAddressPerHour { get; set; } = 20;
    /// <summary>Share of agent replies that carry no text (the API says about 30%).</summary>
    public double SilentReplyRate { get; set; } = 0.3;
    /// <summary>How long the agent "thinks" before answering, sending heartbeats meanwhile.</summary>
    public TimeSpan AgentThinkTime { get; set; } = TimeSpan.FromMilliseconds(300);
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>A render takes at least this long (progress is spread over it), however fast ffmpeg is.</summary>
    public TimeSpan MinRenderTime { get; set; } = TimeSpan.Zero;
    /// <summary>Every export is refused with 402, as on a plan without export.</summary>
    public bool ExportBlocked { get; set; }

    /// <summary>
    /// Answer as NemoVideo's public record shows, not as generously as our client would like: renders are MP4
    /// whatever <c>format</c> says unless the request asks in the renderer's vocabulary (<c>codec</c> mp3 with
    /// <c>audioBitrate</c>; h264 with <c>videoBitrate</c> or <c>crf</c>), the bitrate the agent chose is ignored, the
    /// anonymous-token answer is the reference's sample (its <c>expires_at</c> already past) and a second one for the
    /// same client id within a week is a 429, <c>/run_sse</c> speaks FastAPI's 404 <c>{"detail":…}</c> for a session it
    /// does not know and sends the API's placeholder events verbatim, and an export needs the documented attribution
    /// headers (platform clawhub, cursor or unknown).
    /// </summary>
    public bool Documented { get; set; }
    /// <summary>The first N agent calls find their session gone (FastAPI's 404 in documented mode, 1002 otherwise).</summary>
    public int LoseSessionsOnAgent { get; set; }
    /// <summary>After a good edit, the stream ends with {"error":"I encountered a temporary issue…"}.</summary>
    public bool TrailingAgentError { get; set; }
    /// <summary>The strictest reading of the record (only mp4 output is documented): every render is an MP4 at the source's size, whatever was asked.</summary>
    public bool RendersOnlyMp4 { get; set; }
    /// <summary>Anonymous tokens lack the render scope: exports with them get HTTP 402.</summary>
    public bool AnonymousCannotRender { get; set; }
    public long MaxUploadBytes { get; set; } = 500L * 1024 * 1024;
    /// <summary>
    /// The user's uplink in megabits (10^6 bits) a second: multipart upload bodies are read no faster, and concurrent
    /// uploads share it, so a benchmark sees the wall time a user would. Null (or 0): not limited. May change at run time.
    /// </summary>
    public double? UploadMbps { get; set; }
    public string FfmpegPath { get; set; } = Environment.GetEnvironmentVariable("NEMO_FFMPEG") ?? "ffmpeg";
    public string FfprobePath { get; set; } = Environment.GetEnvironmentVariable("NEMO_FFPROBE") ?? "ffprobe";
    /// <summary>Where uploads and renders are kept; a new temporary folder when null.</summary>
    public string? DataDirectory { get; set; }
    /// <summary>Faults armed at start-up.</summary>
    public List<FaultRule> Faults { get; set; } = new();
    /// <summary>Seed of the random choices (silent replies), so runs repeat.</summary>
    public int Seed { get; set; } = 1234;
}
