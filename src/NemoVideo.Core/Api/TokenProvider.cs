using NemoVideo.Auth;

namespace NemoVideo.Api;

/// <summary>
/// Decides which token a client uses — parameter, then NEMO_TOKEN, then the cache, then a new anonymous
/// token — and replaces it once when the server rejects it. One instance is shared by every job of a
/// connection, so a batch fetches a token at most once however many files run at the same time.
/// NEMO_TOKEN is read again each time a token is asked for (unless a token was given): when it has changed — set,
/// changed or removed — the next call uses what the order now gives, and <see cref="Switched"/> says so.
/// </summary>
public sealed class TokenProvider
{
    /// <summary>Fetches a free anonymous token for a client id.</summary>
    public delegate Task<NemoToken> AnonymousTokenFetcher(string clientId, CancellationToken ct);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly NemoToken? _explicit;
    private readonly NemoEnvironment _environment;
    private readonly Uri _baseUri;
    private AnonymousTokenFetcher? _fetch;
    private NemoToken? _current;
    private bool _renewed;

    public TokenProvider(Uri baseUri, NemoEnvironment environment, NemoToken? explicitToken = null)
    {
        _baseUri = baseUri;
        _environment = environment;
        _explicit = explicitToken;
        Cache = new TokenCache(environment.ConfigDirectory);
    }

    public TokenCache Cache { get; }

    /// <summary>The token in use, if one has been resolved yet.</summary>
    public NemoToken? Current => _current;

    /// <summary>How many anonymous tokens this provider fetched: one, and a second only after a 1001.</summary>
    public int AnonymousFetches { get; private set; }

    internal void AttachFetcher(AnonymousTokenFetcher fetch) => _fetch ??= fetch;

    /// <summary>
    /// Said when the token in use changes because NEMO_TOKEN did: the token before (null if none was in use yet) and
    /// the one now. Listeners get tokens, never their secrets in text (use <see cref="NemoToken.Fingerprint"/>).
    /// </summary>
    public event Action<NemoToken?, NemoToken>? Switched;

    /// <summary>The token to use now, resolving it the first time. Its stated expiry is not consulted: only a 1001 retires it.</summary>
    public async Task<NemoToken> GetAsync(CancellationToken ct)
    {
        if (_current is NemoToken current && !EnvironmentChanged(current)) return current;
        NemoToken? before, after;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            before = _current;
            if (before != null && !EnvironmentChanged(before)) return before;
            after = _current = await ResolveAsync(rejected: null, ct).ConfigureAwait(false);
            _renewed = false; // another token, another one renewal
        }
        finally { _gate.Release(); }
        if (before != null && !before.SameSecret(after)) Switched?.Invoke(before, after);
        return after;
    }

    /// <summary>
    /// True when NEMO_TOKEN no longer says what the token in use was chosen by: it was set to another token, removed
    /// after a token was taken from it, or set while the cache's or an anonymous token was in use. A token given to
    /// the connection itself wins over the variable and is kept.
    /// </summary>
    private bool EnvironmentChanged(NemoToken current)
    {
        if (_explicit != null) return false;
        var env = _environment.GetVariable("NEMO_TOKEN")?.Trim();
        if (string.IsNullOrEmpty(env)) return current.Source == TokenSource.Environment;
        return current.Source != TokenSource.Environment || !string.Equals(current.Value, env, StringComparison.Ordinal);
    }

    /// <summary>
    /// The server refused <paramref name="rejected"/> (1001): get another, once a run. A token the user gave
    /// cannot be replaced, and a replacement that is rejected too is not replaced again (the service issues one
    /// anonymous token per client a week; asking again would only be refused): both are errors saying so.
    /// </summary>
    public async Task<NemoToken> RenewAsync(NemoToken rejected, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_current != null && !_current.SameSecret(rejected)) return _current; // another job renewed it already
            if (rejected.Source is TokenSource.Parameter or TokenSource.Environment)
                throw new NemoApiException(NemoErrorKind.TokenInvalid,
                    rejected.Source == TokenSource.Environment ? "The token in NEMO_TOKEN was rejected (bad or expired)" : "The token given was rejected (bad or expired)");
            if (_renewed)
                throw new NemoApiException(NemoErrorKind.TokenInvalid,
                    "The service rejected the token it had just replaced; no other anonymous token is fetched in this run, as the service gives one per client a week",
                    advice: "Set NEMO_TOKEN to a token of your own (nemovideo.com, Settings, API Tokens), or try again later.");
            _renewed = true;
            return _current = await ResolveAsync(rejected, ct).ConfigureAwait(false);
        }
        finally { _gate.Release(); }
    }

    /// <summary>Forgets the token in memory and, with <paramref name="clearCache"/>, on disk.</summary>
    public void Forget(bool clearCache)
    {
        _current = null;
        if (clearCache) Cache.Remove(_baseUri);
    }

    private async Task<NemoToken> ResolveAsync(NemoToken? rejected, CancellationToken ct)
    {
        if (rejected == null)
        {
            if (_explicit != null) return _explicit;
            var env = _environment.GetVariable("NEMO_TOKEN");
            if (!string.IsNullOrWhiteSpace(env)) return new NemoToken(env!, TokenSource.Environment);
        }

        using (await WritableConfig(() => Cache.LockAsync(ct)).ConfigureAwait(false))
        {
            var cached = Cache.TryGet(_baseUri);
            if (cached != null && !cached.SameSecret(rejected)) return cached; // maybe written by another process meanwhile
            if (rejected != null) Cache.Remove(_baseUri, rejected);
            if (_fetch == null) throw new InvalidOperationException("No way to fetch an anonymous token was attached.");
            var clientId = _environment.GetVariable("NEMO_CLIENT_ID")?.Trim() is { Length: > 0 } fromEnv
                ? fromEnv
                : await WritableConfig(() => ClientIdStore.GetOrCreateAsync(_environment.ConfigDirectory, ct)).ConfigureAwait(false);
            var fresh = await _fetch(clientId, ct).ConfigureAwait(false);
            AnonymousFetches++;
            await WritableConfig(() => { Cache.Store(_baseUri, fresh, _environment.Now()); return Task.FromResult(true); }).ConfigureAwait(false);
            return fresh;
        }
    }

    /// <summary>
    /// A config folder that cannot be written (a read-only home, a service account without a profile) is said as
    /// such, with the two ways around it, before any file is uploaded or any credit spent.
    /// </summary>
    private async Task<T> WritableConfig<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && ex is not FileNotFoundException))
        {
            throw new NemoApiException(NemoErrorKind.ConfigNotWritable,
                $"The config folder '{_environment.ConfigDirectory}' cannot be written ({ex.Message.TrimEnd('.')})",
                advice: "Set NEMO_CONFIG_DIR to a folder this account can write (the token cache and client id live there), or set NEMO_TOKEN to a token, which needs no folder.",
                inner: ex);
        }
    }
}
