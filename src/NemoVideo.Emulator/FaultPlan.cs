using System.Text.Json.Serialization;

namespace NemoVideo.Emulator;

/// <summary>
/// One planned fault: on requests matching <see cref="Route"/> ("POST /run_sse", "GET /cdn/", "* /api/"),
/// the next <see cref="Times"/> times (-1: always), answer with a status / NemoVideo code, wait, drop the
/// connection, or cut the request or response body after some bytes.
/// </summary>
public sealed class FaultRule
{
    /// <summary>"METHOD /path-prefix"; METHOD may be *.</summary>
    public string Route { get; set; } = "* /";
    public int Times { get; set; } = 1;
    /// <summary>Answer with this HTTP status instead of running the endpoint.</summary>
    public int? Status { get; set; }
    /// <summary>NemoVideo code for the envelope (HTTP 200 unless <see cref="Status"/> says otherwise).</summary>
    public int? Code { get; set; }
    public string? Message { get; set; }
    /// <summary>Send the answer as an HTML page, as a proxy in front would.</summary>
    public bool Html { get; set; }
    /// <summary>Retry-After seconds on the answer.</summary>
    public int? RetryAfter { get; set; }
    /// <summary>Wait this long first (then do the rest, or run the endpoint).</summary>
    public int DelayMs { get; set; }
    /// <summary>Close the connection without an answer.</summary>
    public bool Drop { get; set; }
    /// <summary>Run the endpoint but cut the connection after this many response bytes.</summary>
    public long? DropResponseAfterBytes { get; set; }
    /// <summary>Cut the connection after reading this many request bytes.</summary>
    public long? DropRequestAfterBytes { get; set; }
    /// <summary>With DropRequestAfterBytes / DropResponseAfterBytes: pause this long there instead of cutting (a stall).</summary>
    public int? StallMs { get; set; }
    /// <summary>With a 3xx <see cref="Status"/>: where to redirect.</summary>
    public string? Location { get; set; }
    /// <summary>For /run_sse: raw data payloads sent first (malformed JSON, error events, unknown shapes).</summary>
    public List<string>? SseInject { get; set; }
    /// <summary>For /run_sse: after the injected events, end the stream instead of letting the agent answer.</summary>
    public bool SseEndAfterInject { get; set; }

    [JsonIgnore] internal int Hits;

    internal bool Matches(string method, string path)
    {
        var space = Route.IndexOf(' ');
        var m = space < 0 ? "*" : Route.Substring(0, space);
        var p = space < 0 ? Route : Route.Substring(space + 1);
        return (m == "*" || string.Equals(m, method, StringComparison.OrdinalIgnoreCase))
            && path.StartsWith(p, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>The armed faults, consumed in order; thread-safe.</summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();
    private readonly List<FaultRule> _rules = new();

    public void Add(params FaultRule[] rules) { lock (_gate) _rules.AddRange(rules); }
    public void Clear() { lock (_gate) _rules.Clear(); }

    /// <summary>How many times faults have fired, by route.</summary>
    public int Fired { get; private set; }

    public IReadOnlyList<FaultRule> Snapshot() { lock (_gate) return _rules.ToList(); }

    /// <summary>Takes the first rule that matches and has uses left.</summary>
    internal FaultRule? Take(string method, string path)
    {
        lock (_gate)
        {
            foreach (var rule in _rules)
            {
                if (!rule.Matches(method, path)) continue;
                if (rule.Times >= 0 && rule.Hits >= rule.Times) continue;
                rule.Hits++;
                Fired++;
                return rule;
            }
            return null;
        }
    }
}
