namespace NemoVideo.Api;

/// <summary>
/// What one client (a connection, shared by its jobs) knows of each address it talks to: whether it has ever answered —
/// then the address is right, and a refusal, a reset or a silence is an outage to wait out — and since when it has not.
/// An answer ends the outage; the window counts from the first failure after the last answer, the same for every job.
/// </summary>
internal sealed class OutageWatch
{
    private readonly object _gate = new();
    private readonly Dictionary<string, State> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<DateTimeOffset> _now;

    public OutageWatch(TimeSpan window, Func<DateTimeOffset> now)
    {
        Window = window;
        _now = now;
    }

    /// <summary>How long an outage is waited out.</summary>
    public TimeSpan Window { get; }

    public static string OriginOf(Uri? uri) => uri is null ? "" : uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant();

    /// <summary>The address answered (any status): it is the right one, and any outage of it is over.</summary>
    public void Answered(Uri? uri)
    {
        var origin = OriginOf(uri);
        lock (_gate)
        {
            if (!_origins.TryGetValue(origin, out var state)) _origins[origin] = state = new State();
            state.Answered = true;
            state.Since = null;
        }
    }

    /// <summary>
    /// The address gave no answer: when it had answered before, the outage starts now (or goes on since it started), and
    /// the failure is marked as one to wait out.
    /// </summary>
    public void NoAnswer(Uri? uri, NemoApiException failure)
    {
        var origin = OriginOf(uri);
        failure.NoAnswerFrom = origin;
        lock (_gate)
        {
            if (_origins.TryGetValue(origin, out var state) && state.Answered) state.Since ??= _now();
        }
    }

    /// <summary>When the outage of the failure's address began, if it is one: the address answered before and has not since.</summary>
    public DateTimeOffset? OutageSince(NemoApiException failure)
    {
        if (failure.NoAnswerFrom is not string origin || failure.DoNotRepeat || Window <= TimeSpan.Zero) return null;
        lock (_gate) return _origins.TryGetValue(origin, out var state) && state.Answered ? state.Since : null;
    }

    /// <summary>True while the failure is part of an outage that is still inside the window: wait, and try again.</summary>
    public bool WaitOut(NemoApiException failure) => OutageSince(failure) is DateTimeOffset since && _now() - since < Window;

    /// <summary>When an outage that began at <paramref name="since"/> is given up.</summary>
    public DateTimeOffset GivesUpAt(DateTimeOffset since) => since + Window;

    public DateTimeOffset Now() => _now();

    private sealed class State
    {
        public bool Answered;
        public DateTimeOffset? Since;
    }
}
