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
    /// <summary>The session state read after a silent or interrupted turn.</summary>
    public SessionState? State { get; init; }
    /// <summary>What to tell a person: the text, or for a silent turn what the state now shows.</summary>
    public string Summary => Silent ? (State is null ? "The agent finished without a reply." : "The agent finished without a reply. " + State.Summary) : Text;

    public override string ToString() => Summary;
}

/// <summary>
/// Talks to the agent over <c>/run_sse</c>. There is no end event and no resumption: the turn is over when
/// the server closes the stream. Heartbeats and empty events mean "still working". The whole turn may
/// take up to the 15 minutes the API allows, and no less.
/// </summary>
public sealed class AgentConversation
{
    private readonly NemoApiClient _client;

    public AgentConversation(NemoApiClient client) => _client = client;

    /// <summary>Sends a message and reads the whole reply, reading the state when the reply is silent or cut off.</summary>
    public async Task<AgentReply> SendAsync(string sessionId, string message, IProgress<AgentActivity>? progress = null, CancellationToken ct = default)
    {
        var text = new StringBuilder();
        var events = new List<AgentEvent>();
        var heartbeats = 0;
        var interrupted = false;
        try
        {
            await foreach (var ev in StreamAsync(sessionId, message, progress, ct).ConfigureAwait(false))
            {
                switch (ev.Kind)
                {
                    case AgentEventKind.Heartbeat: heartbeats++; continue;
                    case AgentEventKind.Text: text.Append(ev.Text); break;
                    case AgentEventKind.Error: throw new NemoApiException(NemoErrorKind.AgentError, "The agent reported an error: " + ev.Text);
                }
                events.Add(ev);
            }
        }
        catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.ServerError && ex.InnerException is IOException or HttpRequestException)
        {
            interrupted = true; // the message was delivered; what it did shows in the state
        }
        var reply = text.ToString().Trim();
        SessionState? state = reply.Length == 0 || interrupted ? await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false) : null;
        return new AgentReply { SessionId = sessionId, Text = reply, Events = events, Heartbeats = heartbeats, Interrupted = interrupted, State = state };
    }

    /// <summary>Sends a message and yields the agent's events as they arrive.</summary>
    public async IAsyncEnumerable<AgentEvent> StreamAsync(string sessionId, string message, IProgress<AgentActivity>? progress = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(message)) throw new ArgumentException("The message is empty.", nameof(message));
        var watch = Stopwatch.StartNew();
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(ct);
        turn.CancelAfter(_client.Options.AgentTimeout);
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
                    throw ex is OperationCanceledException
                        ? new NemoApiException(NemoErrorKind.Timeout, $"The agent did not finish within {_client.Options.AgentTimeout.TotalMinutes:0} minutes")
                        : new NemoApiException(NemoErrorKind.ServerError, "The agent's event stream was cut off: " + ex.Message, inner: ex);
                }
                foreach (var ev in parser.Parse(item.Data))
                {
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
