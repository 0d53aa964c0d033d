using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using NemoVideo.Auth;
using Polly;

namespace NemoVideo.Api;

/// <summary>
/// The NemoVideo API over HTTP: one typed method per endpoint (see the Endpoints file), the attribution
/// headers on every call, the token only on calls to the API's own endpoints, retries of transient
/// faults, and one renewal of a rejected token. Safe to share between concurrent jobs.
/// </summary>
public sealed partial class NemoApiClient : IDisposable
{
    private readonly ResiliencePipeline _retry;
    private readonly bool _ownsHttp;
    private readonly string _platform;
    /// <summary>Sent as X-Skill-Source on every call of this client: the seed skill whose job is being done.</summary>
    private readonly string _skill;
    /// <summary>What this client's trace lines are about (a job's file), or null.</summary>
    private readonly string? _label;
    /// <summary>Which addresses have answered, and since when one has not: shared by every view of the connection.</summary>
    private readonly OutageWatch _outage;

    public NemoApiClient(NemoClientOptions options, TokenProvider? tokens = null, NemoEnvironment? environment = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        Environment = environment ?? NemoEnvironment.Default;
        Tokens = tokens ?? new TokenProvider(options.BaseUri, Environment);
        Tokens.AttachFetcher(FetchAnonymousTokenAsync);
        Tokens.Switched += (before, now) => Trace(new HttpCallRecord
        {
            Note = $"NEMO_TOKEN changed: using the {Describe(now)} from now on, instead of the {Describe(before)}.",
        });
        // No automatic redirects: a redirect must never carry the token to another host.
        Http = new HttpClient(handler ?? new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate })
        {
            Timeout = System.Threading.Timeout.InfiniteTimeSpan, // per-call limits below; the agent may talk for 15 minutes
        };
        _ownsHttp = true;
        _outage = new OutageWatch(options.OutageWindow, Environment.Now);
        _skill = NemoClientOptions.Mp3Skill; // the building blocks (Send-NemoVideo, Send-NemoMessage…) are the MP3 skill's, as its seed document describes them
        _retry = CreateRetry();
        BaseUri = options.BaseUri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? options.BaseUri : new Uri(options.BaseUri.AbsoluteUri + "/");
        var declared = options.SkillPlatform ?? Environment.GetVariable("SKILL_SOURCE");
        _platform = string.IsNullOrWhiteSpace(declared) ? "unknown" : declared!.Trim();
    }

    /// <summary>A view of <paramref name="parent"/> (same connection, token and handler) that attributes its calls to another skill.</summary>
    private NemoApiClient(NemoApiClient parent, string skill, string? label)
    {
        Options = parent.Options;
        Environment = parent.Environment;
        Tokens = parent.Tokens;
        Http = parent.Http;
        BaseUri = parent.BaseUri;
        _platform = parent._platform;
        _ownsHttp = false; // the parent owns the connection
        _outage = parent._outage;
        _skill = skill;
        _label = label;
        _retry = CreateRetry();
    }

    private ResiliencePipeline CreateRetry() => NemoResilience.Create(Options.Retry, _outage,
        (ex, attempt, delay) => Trace(new HttpCallRecord
        {
            Label = _label, Error = ex.ServerMessage, RetryAttempt = attempt, RetryAttempts = Options.Retry.MaxRetries, RetryDelay = delay,
        }),
        (ex, attempt, delay, until) => Trace(new HttpCallRecord
        {
            Label = _label, Error = ex.ServerMessage, RetryAttempt = attempt, RetryDelay = delay, OutageUntil = until,
        }));

    /// <summary>
    /// Runs a call through the retries; a failure that ends an outage waited out for the whole window becomes one
    /// <see cref="NemoErrorKind.Outage"/> error (an address that never answered keeps its own error: the address is wrong).
    /// </summary>
    private async Task<T> RetryingAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await _retry.ExecuteAsync(async c => await call(c).ConfigureAwait(false), ct).ConfigureAwait(false);
        }
        catch (NemoApiException ex) when (_outage.OutageSince(ex) is DateTimeOffset since && !_outage.WaitOut(ex))
        {
            throw new NemoApiException(NemoErrorKind.Outage,
                $"The service at {ex.NoAnswerFrom} stopped answering at {since.ToLocalTime():HH:mm:ss} and did not answer again within {Describe(_outage.Window)} ({ex.ServerMessage.TrimEnd('.')})",
                inner: ex);
        }
    }

    private static string Describe(NemoToken? token) => token is null ? "none" : token.Source switch
    {
        TokenSource.Environment => $"token in NEMO_TOKEN ({token.Fingerprint})",
        TokenSource.Cache => $"cached token ({token.Fingerprint})",
        TokenSource.Anonymous => $"new anonymous token ({token.Fingerprint})",
        _ => $"token given ({token.Fingerprint})",
    };

    private static string Describe(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{t.TotalMinutes:0} minute{(t.TotalMinutes == 1 ? "" : "s")}" : $"{t.TotalSeconds:0} s";

    /// <summary>
    /// This client for one job: its calls carry <paramref name="skill"/> as X-Skill-Source (the seed skill whose job is
    /// being done: <see cref="NemoClientOptions.Mp3Skill"/> or <see cref="NemoClientOptions.CompressSkill"/>), and their
    /// trace lines carry <paramref name="label"/> (the file). It shares this client's connection and token.
    /// </summary>
    public NemoApiClient ForJob(string skill, string? label = null) => new(this, skill, label);

    /// <summary>The skill this client's calls are attributed to (X-Skill-Source).</summary>
    public string Skill => _skill;

    public NemoClientOptions Options { get; }
    public TokenProvider Tokens { get; }
    public NemoEnvironment Environment { get; }
    internal Uri BaseUri { get; }
    internal HttpClient Http { get; }
    internal ResiliencePipeline Retry => _retry;

    public void Dispose()
    {
        if (_ownsHttp) Http.Dispose();
    }

    /// <summary>A request to one of the API's endpoints, with the attribution headers and, if given, the token.</summary>
    internal HttpRequestMessage CreateRequest(HttpMethod method, string relativePath, NemoToken? token)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUri, relativePath.TrimStart('/')));
        request.Headers.TryAddWithoutValidation("X-Skill-Source", _skill);
        request.Headers.TryAddWithoutValidation("X-Skill-Version", Options.SkillVersion);
        request.Headers.TryAddWithoutValidation("X-Skill-Platform", _platform);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("NemoVideo-PowerShell", Options.SkillVersion));
        if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        return request;
    }

    /// <summary>
    /// Runs <paramref name="call"/> with the current token, retrying transient faults; when the token is
    /// rejected, renews it once and runs the call again.
    /// </summary>
    internal async Task<T> WithTokenAsync<T>(Func<NemoToken, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var token = await Tokens.GetAsync(ct).ConfigureAwait(false);
        var renewed = false;
        while (true)
        {
            try
            {
                var current = token;
                return await RetryingAsync(c => call(current, c), ct).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.TokenInvalid && !renewed)
            {
                renewed = true;
                token = await Tokens.RenewAsync(token, ct).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.InsufficientCredits)
            {
                throw new NemoApiException(ex.Kind, ex.ServerMessage, ex.Code, ex.StatusCode, CreditAdvice(token), ex);
            }
        }
    }

    /// <summary>Runs a call that needs no token, retrying transient faults.</summary>
    internal Task<T> WithoutTokenAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken ct) => RetryingAsync(call, ct);

    /// <summary>One JSON call: send, read the whole (small) answer within the time limit, unwrap.</summary>
    internal async Task<ApiReply> CallOnceAsync(HttpMethod method, string path, NemoToken? token, Func<HttpContent?>? content,
        CancellationToken ct, Action<HttpRequestMessage>? headers = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Options.RequestTimeout;
        using var request = CreateRequest(method, path, token);
        headers?.Invoke(request);
        request.Content = content?.Invoke();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(limit);
        using var response = await SendAsync(request, attempt.Token, ct, limit).ConfigureAwait(false);
        var body = await Guard(() => response.Content.ReadAsStringAsync(), request, ct, limit).ConfigureAwait(false);
        var retryAfter = RetryAfterOf(response);
        var reply = Envelope.Unwrap(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, retryAfter);
        return new ApiReply(reply.Root, reply.Data, retryAfter);
    }

    /// <summary>
    /// Sends one request and returns once the headers are in. A failure of the network (reset, refused,
    /// timed out) becomes a transient <see cref="NemoApiException"/>; the user's cancellation stays an
    /// <see cref="OperationCanceledException"/>. Every attempt is traced without the token.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken attemptToken, CancellationToken userToken, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var response = await Guard(() => Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptToken), request, userToken, limit).ConfigureAwait(false);
            _outage.Answered(request.RequestUri);
            Trace(request, (int)response.StatusCode, null, watch.Elapsed);
            return response;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // No status line at all: refused, reset or silent. If the address answered before, that is an outage to wait out.
            if (ex is NemoApiException { StatusCode: null } none) _outage.NoAnswer(request.RequestUri, none);
            Trace(request, null, ex is NemoApiException n ? n.ServerMessage : ex.GetType().Name, watch.Elapsed);
            throw;
        }
    }

    /// <summary>Turns network failures into transient API errors; the user's cancellation passes through.</summary>
    internal static async Task<T> Guard<T>(Func<Task<T>> action, HttpRequestMessage request, CancellationToken userToken, TimeSpan limit)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!userToken.IsCancellationRequested)
        {
            throw new NemoApiException(NemoErrorKind.ServerError, $"No answer to {request.Method} {request.RequestUri?.AbsolutePath} within {limit.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex) when (Unreachable(ex, request.RequestUri) is NemoApiException wrongAddress)
        {
            throw wrongAddress;
        }
        catch (HttpRequestException ex)
        {
            throw new NemoApiException(NemoErrorKind.ServerError, $"The connection failed during {request.Method} {request.RequestUri?.AbsolutePath}: {Innermost(ex).Message}", inner: ex);
        }
        catch (IOException ex)
        {
            throw new NemoApiException(NemoErrorKind.ServerError, $"The connection dropped during {request.Method} {request.RequestUri?.AbsolutePath}: {Innermost(ex).Message}", inner: ex);
        }
    }

    /// <summary>
    /// A refused connection or an unknown host name is the address's fault, not a passing fault of the service:
    /// said at once, not retried for a minute.
    /// </summary>
    private static NemoApiException? Unreachable(HttpRequestException ex, Uri? uri)
    {
        if (Innermost(ex) is not System.Net.Sockets.SocketException socket || uri is null) return null;
        var where = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        var message = socket.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.ConnectionRefused => $"Nothing is listening at {where} (connection refused)",
            System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData => $"The host name '{uri.Host}' is not known",
            _ => null,
        };
        return message is null ? null : new NemoApiException(NemoErrorKind.Unreachable, message, inner: ex);
    }

    internal static TimeSpan? RetryAfterOf(HttpResponseMessage response)
    {
        var h = response.Headers.RetryAfter;
        if (h == null) return null;
        if (h.Delta is TimeSpan d) return d;
        if (h.Date is DateTimeOffset at) { var wait = at - DateTimeOffset.UtcNow; return wait > TimeSpan.Zero ? wait : TimeSpan.Zero; }
        return null;
    }

    private void Trace(HttpRequestMessage request, int? status, string? error, TimeSpan elapsed)
    {
        Trace(() => new HttpCallRecord
        {
            Label = _label, Method = request.Method.Method, Path = request.RequestUri?.AbsolutePath ?? "", StatusCode = status, Error = error, Elapsed = elapsed,
        });
    }

    private void Trace(HttpCallRecord record) => Trace(() => record);

    private void Trace(Func<HttpCallRecord> record)
    {
        var trace = Options.Trace;
        if (trace == null) return;
        try
        {
            trace(record());
        }
        catch
        {
            // a broken listener must not break the call
        }
    }

    private string CreditAdvice(NemoToken token) => token.IsAnonymous && token.UserId != null
        ? $"Register a free account at https://nemovideo.com/?bind={Uri.EscapeDataString(token.UserId)} to keep this work and get more credits, or convert on this machine with the local engine."
        : NemoApiException.DefaultAdvice(NemoErrorKind.InsufficientCredits);

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException != null) ex = ex.InnerException;
        return ex;
    }
}
