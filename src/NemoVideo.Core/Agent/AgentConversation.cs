using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using NemoVideo.Api;

namespace NemoVideo.Agent;

/// <summary>What the agent is doing, for progress bars.</summary>
public readonly struct AgentActivity
{
    public AgentActivity(AgentEvent? ev, TimeSpan elapsed) { Event = ev; Elapsed = elapsed; }
    /// <summary>The event just read, or null when only bytes (a comment, a keep-alive) arrived.</summary>
    public AgentEvent? Event { get; }
    public TimeSpan Elapsed { get; }
    public bool IsStillWorking => Event is null || Event.Kind == AgentEventKind.Heartbeat;
}

/// <summary>The whole of one turn with the agent.</summary>
public sealed class AgentReply
{
    /// <summary>The session the message went to.</summary>
    public string SessionId { get; init; } = "";
    /// <summary>The agent's words, joined.</summary>
    public string Text { get; init; } = "";
    /// <summary>Every event, in order (heartbeats left out).</summary>
    public IReadOnlyList<AgentEvent> Events { get; init; } = Array.Empty<AgentEvent>();
    public int Heartbeats { get; init; }
    /// <summary>The stream ended without any text (about 30% of edits do).</summary>
    public bool Silent => Text.Length == 0;
    /// <summary>The connection dropped before the stream ended normally; the state tells what was done.</summary>
    public bool Interrupted { get; init; }
    /// <summary>The session state read after a silent, interrupted or error-ended turn.</summary>
    public SessionState? State { get; init; }
    /// <summary>
    /// An <c>{"error":…}</c> that came after normal events. The skill says to judge such a turn by the state,
    /// not by the error: the caller checks <see cref="State"/> before failing anything.
    /// </summary>
    public string? TrailingError { get; init; }
    /// <summary>What to tell a person: the text, or for a silent turn what the state now shows.</summary>
    public string Summary => Silent ? (State is null ? "The agent finished without a reply." : "The agent finished without a reply. " + State.Summary) : Text;

    public override string ToString() => Summary;
}

/// <summary>
/// How to find out what a turn did when its stream dropped (the skill's §3.6): never by sending the message
/// again — the work may still be running, and a second message is charged twice — but by reading the state:
/// after <see cref="FirstWait"/>, then every <see cref="Interval"/>, giving up after <see cref="GiveUp"/> unchanged.
/// </summary>
public sealed class AgentRecovery
{
    public TimeSpan FirstWait { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan GiveUp { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Talks to the agent over <c>/run_sse</c>. There is no end event and no resumption: the turn is over when
/// the server closes the stream. Heartbeats and empty events mean "still working". The whole turn may
/// take up to the 15 minutes the API allows, and no less; ten minutes with nothing but heartbeats is a timeout.
/// </summary>
public sealed class AgentConversation
{
    private readonly NemoApiClient _client;

    public AgentConversation(NemoApiClient client, AgentRecovery? recovery = null)
    {
        _client = client;
        Recovery = recovery ?? new AgentRecovery();
    }

    /// <summary>How a dropped stream is followed up.</summary>
    public AgentRecovery Recovery { get; }

    /// <summary>
    /// Sends a message once and reads the whole reply. A silent turn, or one that ended with an error after
    /// normal events, comes back with the state to judge it by; a dropped stream is followed by reading the
    /// state until it changes (see <see cref="AgentRecovery"/>). An error before anything else is an error.
    /// </summary>
    public async Task<AgentReply> SendAsync(string sessionId, string message, IProgress<AgentActivity>? progress = null, CancellationToken ct = default)
    {
        // What a dropped stream is compared with: only a change from this shows that the message was acted on.
        var before = await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        var text = new StringBuilder();
        var events = new List<AgentEvent>();
        var heartbeats = 0;
        var interrupted = false;
        string? trailingError = null;
        try
        {
            await foreach (var ev in StreamAsync(sessionId, message, progress, ct).ConfigureAwait(false))
            {
                switch (ev.Kind)
                {
                    case AgentEventKind.Heartbeat: heartbeats++; continue;
                    case AgentEventKind.Unrecognized: continue; // placeholders and shapes we do not know: nothing to act on
                    case AgentEventKind.Text: text.Append(ev.Text); break;
                    case AgentEventKind.Error when events.Count == 0:
                        throw new NemoApiException(NemoErrorKind.AgentError, "The agent reported an error: " + ev.Text);
                    case AgentEventKind.Error: trailingError = ev.Text; continue;
                }
                events.Add(ev);
            }
        }
        catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.ServerError && ex.InnerException is IOException or HttpRequestException)
        {
            interrupted = true; // the message was delivered; what it did shows in the state
        }
        var reply = text.ToString().Trim();
        SessionState? state = null;
        if (interrupted) state = await RecoverAsync(sessionId, before, watch, progress, ct).ConfigureAwait(false);
        else if (reply.Length == 0 || trailingError != null) state = await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
        return new AgentReply
        {
            SessionId = sessionId, Text = reply, Events = events, Heartbeats = heartbeats, Interrupted = interrupted, State = state, TrailingError = trailingError,
        };
    }

    /// <summary>Reads the state on the skill's schedule until it differs from <paramref name="before"/>; fails once it has stayed the same too long.</summary>
    private async Task<SessionState> RecoverAsync(string sessionId, SessionState before, Stopwatch watch, IProgress<AgentActivity>? progress, CancellationToken ct)
    {
        var waited = TimeSpan.Zero;
        var wait = Recovery.FirstWait;
        while (true)
        {
            progress?.Report(new AgentActivity(null, watch.Elapsed));
            await Task.Delay(wait, ct).ConfigureAwait(false);
            waited += wait;
            var state = await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
            if (!SessionState.SameDraft(state, before)) return state;
            if (waited >= Recovery.GiveUp)
                throw new NemoApiException(NemoErrorKind.AgentError,
                    $"The agent's event stream dropped, and the timeline did not change in the {waited.TotalMinutes:0.#} minutes after; the message was not sent again, so it was not charged twice",
                    advice: "Check the session's timeline later, or run the job again.");
            wait = Recovery.Interval;
        }
    }

    /// <summary>Sends a message and yields the agent's events as they arrive.</summary>
    public async IAsyncEnumerable<AgentEvent> StreamAsync(string sessionId, string message, IProgress<AgentActivity>? progress = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(message)) throw new ArgumentException("The message is empty.", nameof(message));
        var watch = Stopwatch.StartNew();
        using var whole = new CancellationTokenSource(_client.Options.AgentTimeout);
        using var quiet = new CancellationTokenSource(_client.Options.AgentQuietTimeout);
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(ct, whole.Token, quiet.Token);
        using var response = await _client.OpenAgentStreamAsync(sessionId, message, turn.Token, ct).ConfigureAwait(false);
        using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        using var watched = new ActivityStream(body, () => progress?.Report(new AgentActivity(null, watch.Elapsed)));
        var parser = new AgentEventParser();
        var items = SseParser.Create(watched).EnumerateAsync(turn.Token).GetAsyncEnumerator(turn.Token);
        try
        {
            while (true)
            {
                SseItem<string> item;
                try
                {
                    if (!await items.MoveNextAsync().ConfigureAwait(false)) yield break;
                    item = items.Current;
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    throw ex is not OperationCanceledException
                        ? new NemoApiException(NemoErrorKind.ServerError, "The agent's event stream was cut off: " + ex.Message, inner: ex)
                        : quiet.IsCancellationRequested
                            ? new NemoApiException(NemoErrorKind.Timeout, $"The agent sent nothing but heartbeats for {_client.Options.AgentQuietTimeout.TotalMinutes:0} minutes")
                            : new NemoApiException(NemoErrorKind.Timeout, $"The agent did not finish within {_client.Options.AgentTimeout.TotalMinutes:0} minutes");
                }
                foreach (var ev in parser.Parse(item.Data))
                {
                    if (ev.Kind is not AgentEventKind.Heartbeat and not AgentEventKind.Unrecognized) quiet.CancelAfter(_client.Options.AgentQuietTimeout);
                    progress?.Report(new AgentActivity(ev, watch.Elapsed));
                    yield return ev;
                }
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A read-only pass-through that says when bytes arrive, so keep-alive comments count as "still working".</summary>
internal sealed class ActivityStream : Stream
{
    private readonly Stream _inner;
    private readonly Action _onBytes;

    public ActivityStream(Stream inner, Action onBytes) { _inner = inner; _onBytes = onBytes; }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var n = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
        if (n > 0) _onBytes();
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        if (n > 0) _onBytes();
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
