using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo;

/// <summary>What a connection is made from.</summary>
public sealed class ConnectionSettings
{
    /// <summary>The API base; NEMO_API_URL or production when null.</summary>
    public string? BaseUri { get; set; }
    /// <summary>A token given by the user; the chain (NEMO_TOKEN, cache, anonymous) when null.</summary>
    public NemoToken? Token { get; set; }
    public bool AllowInsecureHttp { get; set; }
    public string? SkillVersion { get; set; }
    public NemoEnvironment? Environment { get; set; }
    public RetrySettings? Retry { get; set; }
    public TimeSpan? RequestTimeout { get; set; }
    /// <summary>How long a service that answered and then stopped is waited out; NEMO_OUTAGE_WINDOW or 5 minutes when null.</summary>
    public TimeSpan? OutageWindow { get; set; }
}

/// <summary>
/// One client, one token and, once one is made, a default session: what every cmdlet of a runspace shares.
/// Concurrent jobs use the same client (and so the same token) and make sessions of their own.
/// HTTP calls are traced to whatever sink the calling flow has set with <see cref="TraceTo"/>.
/// </summary>
public sealed class NemoConnection : IDisposable
{
    private static readonly AsyncLocal<Action<HttpCallRecord>?> TraceSink = new();

    private NemoConnection(NemoApiClient client)
    {
        Client = client;
        // A session belongs to an account: when NEMO_TOKEN switches the account, the next building block makes its own.
        client.Tokens.Switched += (_, _) => { Session = null; WorkspaceUri = null; };
    }

    public static NemoConnection Create(ConnectionSettings settings)
    {
        var environment = settings.Environment ?? NemoEnvironment.Default;
        var options = new NemoClientOptions
        {
            BaseUri = NemoClientOptions.ResolveBaseUri(settings.BaseUri, environment),
            AllowInsecureHttp = settings.AllowInsecureHttp,
            OutageWindow = settings.OutageWindow ?? NemoClientOptions.ResolveOutageWindow(environment),
            Trace = r => TraceSink.Value?.Invoke(r),
        };
        if (settings.SkillVersion != null) options.SkillVersion = settings.SkillVersion;
        if (settings.Retry != null) options.Retry = settings.Retry;
        if (settings.RequestTimeout is TimeSpan t) options.RequestTimeout = t;
        var tokens = new TokenProvider(options.BaseUri, environment, settings.Token);
        return new NemoConnection(new NemoApiClient(options, tokens, environment));
    }

    /// <summary>
    /// The client: internal, so that the connection PowerShell shows (Get-NemoSession, Connect-Nemo -PassThru) is data,
    /// not machinery that ConvertTo-Json or Export-Clixml would walk into.
    /// </summary>
    internal NemoApiClient Client { get; }
    /// <summary>The engine the job cmdlets use when -Engine is not given.</summary>
    public Jobs.NemoEngine DefaultEngine { get; set; } = Jobs.NemoEngine.Cloud;
    public Uri BaseUri => Client.Options.BaseUri;
    /// <summary>The default session for the building-block cmdlets, once made.</summary>
    public NemoSession? Session { get; private set; }
    public string? SessionId => Session?.SessionId;
    public string? UserId => Client.Tokens.Current?.UserId ?? Session?.UserId;
    public TokenSource? TokenSource => Client.Tokens.Current?.Source;
    /// <summary>A non-secret fingerprint of the token in use.</summary>
    public string? TokenFingerprint => Client.Tokens.Current?.Fingerprint;
    public DateTimeOffset? TokenExpiresAt => Client.Tokens.Current?.ExpiresAt;
    public bool IsAnonymous => Client.Tokens.Current?.IsAnonymous ?? false;
    /// <summary>
    /// A link that opens the default session's project in the web app (through a claim token; never the bearer
    /// token), made when the session is; null when there is no session or the service gave no claim token.
    /// </summary>
    public Uri? WorkspaceUri { get; private set; }

    /// <summary>Makes sure there is a token, and a default session when asked.</summary>
    public async Task ConnectAsync(bool createSession, string taskName = "project", string language = "en", CancellationToken ct = default)
    {
        await Client.Tokens.GetAsync(ct).ConfigureAwait(false);
        if (createSession) await NewSessionAsync(taskName, language, ct).ConfigureAwait(false);
    }

    /// <summary>Replaces the default session (after 1002, or when asked).</summary>
    public async Task<NemoSession> NewSessionAsync(string taskName = "project", string language = "en", CancellationToken ct = default)
    {
        var session = await Client.CreateSessionAsync(taskName, language, ct).ConfigureAwait(false);
        Session = session;
        WorkspaceUri = null;
        try
        {
            WorkspaceUri = await Client.CreateWorkspaceLinkAsync(session, ct).ConfigureAwait(false);
        }
        catch (NemoApiException)
        {
            // The link is a convenience; a service without claim tokens still has a working session.
        }
        return session;
    }

    /// <summary>Sends the HTTP trace of this flow (and what it starts) to <paramref name="sink"/> until disposed.</summary>
    public static IDisposable TraceTo(Action<HttpCallRecord>? sink)
    {
        var previous = TraceSink.Value;
        TraceSink.Value = sink;
        return new Restore(() => TraceSink.Value = previous);
    }

    /// <summary>How many render ids <see cref="RenderIds"/> keeps.</summary>
    internal const int RenderIdLimit = 50;
    private readonly List<string> _renderIds = new();

    /// <summary>The ids of renders this connection has seen (started, looked up or cancelled through the module), newest first, at most <see cref="RenderIdLimit"/>: what -Id completes.</summary>
    internal IReadOnlyList<string> RenderIds { get { lock (_renderIds) return _renderIds.ToArray(); } }

    /// <summary>Puts a render id first in <see cref="RenderIds"/>.</summary>
    internal void RememberRender(string? renderId)
    {
        if (string.IsNullOrWhiteSpace(renderId)) return;
        lock (_renderIds)
        {
            _renderIds.Remove(renderId!);
            _renderIds.Insert(0, renderId!);
            if (_renderIds.Count > RenderIdLimit) _renderIds.RemoveAt(_renderIds.Count - 1);
        }
    }

    public void Dispose() => Client.Dispose();

    public override string ToString() => $"{BaseUri} {UserId} {SessionId}";

    private sealed class Restore : IDisposable
    {
        private Action? _undo;
        public Restore(Action undo) => _undo = undo;
        public void Dispose() { _undo?.Invoke(); _undo = null; }
    }
}
