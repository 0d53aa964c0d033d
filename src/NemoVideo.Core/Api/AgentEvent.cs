using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>What one agent event says.</summary>
public enum AgentEventKind
{
    /// <summary>Words for the user.</summary>
    Text,
    /// <summary>The agent started a tool (an edit).</summary>
    ToolCall,
    /// <summary>A tool finished.</summary>
    ToolResult,
    /// <summary>Still working: a heartbeat or an empty data line.</summary>
    Heartbeat,
    /// <summary>The agent reported an error.</summary>
    Error,
    /// <summary>Something the client does not understand (malformed JSON, an unknown shape); skipped.</summary>
    Unrecognized,
}

/// <summary>One event of the agent's stream, whichever of the two documented shapes it came in.</summary>
public sealed class AgentEvent
{
    public AgentEventKind Kind { get; init; }
    /// <summary>The text, error message, or (for unrecognized events) the raw data, shortened.</summary>
    public string? Text { get; init; }
    /// <summary>The tool's name for tool calls and results.</summary>
    public string? Name { get; init; }
    /// <summary>Tool arguments or results as sent.</summary>
    public JsonElement Payload { get; init; }
    /// <summary>A streamed piece of text that a later whole event may repeat (ADK "partial").</summary>
    public bool IsPartial { get; init; }

    public override string ToString() => Kind switch
    {
        AgentEventKind.Text => Text ?? "",
        AgentEventKind.ToolCall => $"tool call {Name}",
        AgentEventKind.ToolResult => $"tool result {Name}",
        _ => Kind + (Text is null ? "" : ": " + Text),
    };
}
