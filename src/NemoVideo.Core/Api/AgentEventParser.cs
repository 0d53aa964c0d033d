using System.Text;
using System.Text.Json;

namespace NemoVideo.Api;

/// <summary>
/// Reads the data of SSE events in both shapes of the API: the flat one
/// (<c>{"type":"text","content":…}</c>, tool_call, tool_result, heartbeat) and Google ADK's whole events
/// (<c>{"content":{"parts":[{"text"}|{"functionCall"}|{"functionResponse"}]}}</c>, <c>{"error":…}</c>).
/// One parser per stream: it drops the whole ADK event that repeats the partial pieces already given.
/// </summary>
public sealed class AgentEventParser
{
    private readonly StringBuilder _partial = new();

    public IEnumerable<AgentEvent> Parse(string? data)
    {
        if (string.IsNullOrWhiteSpace(data)) return new[] { new AgentEvent { Kind = AgentEventKind.Heartbeat } };
        JsonDocument doc;
        try { doc = JsonDocument.Parse(data!); }
        catch (JsonException) { return new[] { Unrecognized(data!) }; }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new[] { Unrecognized(data!) };
            if (root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String) return new[] { ParseFlat(type.GetString()!, root, data!) };
            return ParseAdk(root, data!);
        }
    }

    private static AgentEvent ParseFlat(string type, JsonElement root, string raw) => type switch
    {
        "text" => new AgentEvent { Kind = AgentEventKind.Text, Text = Str(root, "content") ?? Str(root, "text") ?? "" },
        "tool_call" => new AgentEvent { Kind = AgentEventKind.ToolCall, Name = Str(root, "name"), Payload = Prop(root, "args") },
        "tool_result" => new AgentEvent { Kind = AgentEventKind.ToolResult, Name = Str(root, "name"), Payload = Prop(root, "result") },
        "heartbeat" or "ping" => new AgentEvent { Kind = AgentEventKind.Heartbeat },
        "error" => new AgentEvent { Kind = AgentEventKind.Error, Text = Str(root, "content") ?? Str(root, "message") ?? Str(root, "error") ?? "unknown error" },
        _ => Unrecognized(raw),
    };

    private IEnumerable<AgentEvent> ParseAdk(JsonElement root, string raw)
    {
        var error = Str(root, "error") ?? Str(root, "errorMessage") ?? Str(root, "error_message");
        if (error != null) return new[] { new AgentEvent { Kind = AgentEventKind.Error, Text = error } };
        if (!root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Object
            || !content.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
            return new[] { Unrecognized(raw) };

        var partial = root.TryGetProperty("partial", out var p) && p.ValueKind == JsonValueKind.True;
        var events = new List<AgentEvent>();
        var text = new StringBuilder();
        foreach (var part in parts.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object) continue;
            if (part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True) continue; // the model's private reasoning
            if (Str(part, "text") is string t) text.Append(t);
            else if (part.TryGetProperty("functionCall", out var call))
                events.Add(new AgentEvent { Kind = AgentEventKind.ToolCall, Name = Str(call, "name"), Payload = Prop(call, "args") });
            else if (part.TryGetProperty("functionResponse", out var response))
                events.Add(new AgentEvent { Kind = AgentEventKind.ToolResult, Name = Str(response, "name"), Payload = Prop(response, "response") });
        }
        if (text.Length > 0)
        {
            var whole = text.ToString();
            if (partial)
            {
                _partial.Append(whole);
                events.Insert(0, new AgentEvent { Kind = AgentEventKind.Text, Text = whole, IsPartial = true });
            }
            else
            {
                var repeats = _partial.Length > 0 && _partial.ToString() == whole;
                _partial.Clear();
                if (!repeats) events.Insert(0, new AgentEvent { Kind = AgentEventKind.Text, Text = whole });
            }
        }
        return events.Count > 0 ? events : new[] { new AgentEvent { Kind = AgentEventKind.Heartbeat } };
    }

    private static AgentEvent Unrecognized(string raw) =>
        new() { Kind = AgentEventKind.Unrecognized, Text = raw.Length > 200 ? raw.Substring(0, 200) + "…" : raw };

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static JsonElement Prop(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.Clone() : default;
}
