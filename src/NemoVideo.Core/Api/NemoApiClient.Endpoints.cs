using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using NemoVideo.Auth;
using NemoVideo.Transfers;

namespace NemoVideo.Api;

public sealed partial class NemoApiClient
{
    /// <summary>POST /api/auth/anonymous-token: a free token (100 credits, about 7 days) for this client id.</summary>
    public async Task<NemoToken> FetchAnonymousTokenAsync(string clientId, CancellationToken ct = default)
    {
        var reply = await WithoutTokenAsync(async c =>
        {
            try
            {
                return await CallOnceAsync(HttpMethod.Post, "api/auth/anonymous-token", null,
                    () => new ByteArrayContent(Array.Empty<byte>()), c, headers: r => r.Headers.TryAddWithoutValidation("X-Client-Id", clientId)).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.RateLimited)
            {
                // One token per client id a week: waiting 30 s and asking again would only be refused again.
                throw AnonymousTokenLimit(ex.RetryAfter, Environment.Now());
            }
        }, ct).ConfigureAwait(false);
        var dto = Deserialize(reply.Data, NemoJsonContext.Default.AnonymousTokenDto);
        if (string.IsNullOrEmpty(dto.Token))
            throw new NemoApiException(NemoErrorKind.Protocol, "The anonymous-token answer held no token");
        DateTimeOffset? expires = DateTimeOffset.TryParse(dto.ExpiresAt, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var e) ? e : null;
        return new NemoToken(dto.Token!, TokenSource.Anonymous, dto.UserId, expires, dto.Credits);
    }

    internal static NemoApiException AnonymousTokenLimit(TimeSpan? retryAfter, DateTimeOffset now)
    {
        var when = retryAfter is TimeSpan wait
            ? $"; try again after {(now + wait).ToLocalTime():yyyy-MM-dd HH:mm} (in {Describe(wait)})"
            : "; the service gives one per client a week, and a few per address an hour";
        return new NemoApiException(NemoErrorKind.TokenRateLimited, "The service refused a new free anonymous token (HTTP 429)" + when,
            status: (System.Net.HttpStatusCode)429, retryAfter: retryAfter,
            advice: "A token of your own avoids the limit: create one at nemovideo.com (Settings, API Tokens) and put it in NEMO_TOKEN.");

        static string Describe(TimeSpan t) => t.TotalHours >= 1.5 ? $"{Math.Ceiling(t.TotalHours):0} hours"
            : t.TotalMinutes > 60 ? "about an hour" : t.TotalMinutes >= 59.5 ? "1 hour" : $"{Math.Max(1, Math.Ceiling(t.TotalMinutes)):0} minutes";
    }

    /// <summary>POST /api/tasks/me/with-session/nemo_agent: a new editing session.</summary>
    public async Task<NemoSession> CreateSessionAsync(string taskName = "project", string language = "en", CancellationToken ct = default)
    {
        var body = new CreateSessionRequest { TaskName = taskName, Language = language };
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Post, "api/tasks/me/with-session/nemo_agent", t,
            () => Json(body, NemoJsonContext.Default.CreateSessionRequest), c), ct).ConfigureAwait(false);
        var dto = Deserialize(reply.Data, NemoJsonContext.Default.SessionDto);
        if (string.IsNullOrEmpty(dto.SessionId))
            throw new NemoApiException(NemoErrorKind.Protocol, "The new-session answer held no session_id");
        return new NemoSession(dto.TaskId ?? "", dto.SessionId!, dto.UserId);
    }

    /// <summary>
    /// POST /api/auth/claim-token, then the web app's <c>/workspace/claim?ct=…</c> (NEMO_WEB_URL or nemovideo.com):
    /// a link that opens the session's project in a browser. The claim token only opens that project; the
    /// bearer token is never put in a URL.
    /// </summary>
    public async Task<Uri> CreateWorkspaceLinkAsync(NemoSession session, CancellationToken ct = default)
    {
        var body = new ClaimTokenRequest { TaskId = session.TaskId, SessionId = session.SessionId };
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Post, "api/auth/claim-token", t,
            () => Json(body, NemoJsonContext.Default.ClaimTokenRequest), c), ct).ConfigureAwait(false);
        var dto = Deserialize(reply.Data, NemoJsonContext.Default.ClaimTokenDto);
        if (string.IsNullOrEmpty(dto.ClaimToken))
            throw new NemoApiException(NemoErrorKind.Protocol, "The claim-token answer held no claim_token");
        return new Uri(WebUri, "workspace/claim?ct=" + Uri.EscapeDataString(dto.ClaimToken));
    }

    /// <summary>The web app: NEMO_WEB_URL, else nemovideo.com.</summary>
    internal Uri WebUri
    {
        get
        {
            var text = Environment.GetVariable("NEMO_WEB_URL")?.Trim();
            if (!Uri.TryCreate(text, UriKind.Absolute, out var web) || (web.Scheme != Uri.UriSchemeHttps && web.Scheme != Uri.UriSchemeHttp))
                return NemoClientOptions.DefaultWebUri;
            return web.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? web : new Uri(web.AbsoluteUri + "/");
        }
    }

    /// <summary>
    /// POST /api/upload-video/nemo_agent/me/&lt;session&gt;: one or more local files as multipart parts named
    /// "files", streamed from disk. Each file is checked first (type, size, not empty), so a refused
    /// file costs no upload.
    /// </summary>
    public async Task<UploadResult> UploadFilesAsync(string sessionId, IReadOnlyList<string> paths,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        if (paths.Count == 0) throw new ArgumentException("Give at least one file.", nameof(paths));
        var files = paths.Select(p => MediaRules.CheckUpload(p)).ToArray();
        var total = files.Sum(f => f.Length);
        var path = "api/upload-video/nemo_agent/me/" + Uri.EscapeDataString(sessionId);
        var reply = await WithTokenAsync(async (t, c) =>
        {
            var counter = new ByteCounter(progress, total);
            counter.Reset(); // a retry starts the count again
            // An upload that stops moving is cut and retried, rather than waiting out the whole upload's time limit.
            using var watchdog = new IdleWatchdog(() => counter.Bytes, total, Options.TransferIdleTimeout, c);
            try
            {
                return await CallOnceAsync(HttpMethod.Post, path, t, () =>
                {
                    var form = new MultipartFormDataContent("nemo-" + Guid.NewGuid().ToString("N"));
                    foreach (var f in files)
                    {
                        var part = new FileStreamContent(f.FullName, MediaRules.ContentTypeOf(f.Name), counter, watchdog.Token);
                        part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
                        {
                            Name = "\"files\"",
                            FileName = "\"" + f.Name.Replace("\"", "'") + "\"",
                            FileNameStar = f.Name,
                        };
                        form.Add(part);
                    }
                    return form;
                }, watchdog.Token, timeout: TransferTimeout(total)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (watchdog.Stalled && !c.IsCancellationRequested)
            {
                throw new NemoApiException(NemoErrorKind.ServerError, $"The upload stalled: nothing moved for {Options.TransferIdleTimeout.TotalSeconds:0} s");
            }
        }, ct).ConfigureAwait(false);
        return ParseUpload(reply, sessionId);
    }

    /// <summary>POST /api/upload-video/…: files the service fetches itself from http(s) addresses.</summary>
    public async Task<UploadResult> UploadUrlsAsync(string sessionId, IEnumerable<Uri> urls, CancellationToken ct = default)
    {
        var list = urls.ToList();
        if (list.Count == 0) throw new ArgumentException("Give at least one address.", nameof(urls));
        foreach (var u in list)
            if (!u.IsAbsoluteUri || (u.Scheme != Uri.UriSchemeHttp && u.Scheme != Uri.UriSchemeHttps))
                throw new NemoApiException(NemoErrorKind.InvalidRequest, $"'{u}' is not an http(s) address", advice: "Give an http:// or https:// address the service can fetch, or upload the file itself.");
        var body = new UrlUploadRequest { Urls = list.Select(u => u.AbsoluteUri).ToList() };
        var path = "api/upload-video/nemo_agent/me/" + Uri.EscapeDataString(sessionId);
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Post, path, t, () => Json(body, NemoJsonContext.Default.UrlUploadRequest), c), ct).ConfigureAwait(false);
        return ParseUpload(reply, sessionId);
    }

    /// <summary>GET /api/state/nemo_agent/me/&lt;session&gt;/latest.</summary>
    public async Task<SessionState> GetStateAsync(string sessionId, CancellationToken ct = default)
    {
        var path = "api/state/nemo_agent/me/" + Uri.EscapeDataString(sessionId) + "/latest";
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Get, path, t, null, c), ct).ConfigureAwait(false);
        return SessionState.Parse(reply.Data, sessionId);
    }

    /// <summary>GET /api/credits/balance/simple.</summary>
    public async Task<CreditBalance> GetCreditsAsync(CancellationToken ct = default)
    {
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Get, "api/credits/balance/simple", t, null, c), ct).ConfigureAwait(false);
        return CreditBalance.From(Deserialize(reply.Data, NemoJsonContext.Default.CreditsDto));
    }

    /// <summary>POST /api/render/proxy/lambda: starts an export of the draft in a plain format (see <see cref="RenderOutput.ForFormat"/>).</summary>
    public Task<RenderJob> SubmitRenderAsync(string sessionId, JsonElement draft, string format = "mp4", string quality = "high", CancellationToken ct = default) =>
        SubmitRenderAsync(sessionId, draft, RenderOutput.ForFormat(format, quality), ct);

    /// <summary>POST /api/render/proxy/lambda: starts an export of the draft. A duplicate id is retried with a new one.</summary>
    public async Task<RenderJob> SubmitRenderAsync(string sessionId, JsonElement draft, RenderOutput output, CancellationToken ct = default)
    {
        var wire = new RenderOutputDto
        {
            Format = output.Format, Quality = output.Quality, Codec = output.Codec, AudioBitrate = output.AudioBitrate, VideoBitrate = output.VideoBitrate, Crf = output.Crf,
        };
        for (var tries = 0; ; tries++)
        {
            var body = new RenderRequestDto { Id = NewRenderId(), SessionId = sessionId, Draft = draft, Output = wire };
            try
            {
                var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Post, "api/render/proxy/lambda", t, () => Json(body, NemoJsonContext.Default.RenderRequestDto), c), ct).ConfigureAwait(false);
                return RenderJob.FromEnvelope(reply.Root, reply.Data, body.Id);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.DuplicateRender && tries < 2)
            {
                // a new id is the documented remedy
            }
        }
    }

    /// <summary>GET /api/render/proxy/lambda/&lt;id&gt;.</summary>
    public async Task<RenderJob> GetRenderAsync(string renderId, CancellationToken ct = default)
    {
        var path = "api/render/proxy/lambda/" + Uri.EscapeDataString(renderId);
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Get, path, t, null, c), ct).ConfigureAwait(false);
        var job = RenderJob.FromEnvelope(reply.Root, reply.Data, renderId);
        return reply.RetryAfter is TimeSpan hint ? job.WithRetryAfter(hint) : job;
    }

    /// <summary>POST /api/render/proxy/lambda/&lt;id&gt;/cancel.</summary>
    public async Task<RenderJob> CancelRenderAsync(string renderId, CancellationToken ct = default)
    {
        var path = "api/render/proxy/lambda/" + Uri.EscapeDataString(renderId) + "/cancel";
        var reply = await WithTokenAsync((t, c) => CallOnceAsync(HttpMethod.Post, path, t, () => new ByteArrayContent(Array.Empty<byte>()), c), ct).ConfigureAwait(false);
        var job = RenderJob.FromEnvelope(reply.Root, reply.Data, renderId);
        return job.Status == RenderStatus.Unknown ? job.WithStatus(RenderStatus.Cancelled) : job;
    }

    /// <summary>A render id that is unique across processes and machines.</summary>
    public static string NewRenderId() =>
        "render_" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + "_" + Guid.NewGuid().ToString("N").Substring(0, 8);

    private TimeSpan TransferTimeout(long bytes) =>
        // Ample for a slow link (256 KiB/s) on top of the ordinary limit; stalls are caught by the idle timeout of the copy.
        Options.RequestTimeout + TimeSpan.FromSeconds(bytes / (256.0 * 1024));

    private static UploadResult ParseUpload(ApiReply reply, string sessionId)
    {
        var dto = Deserialize(reply.Data, NemoJsonContext.Default.UploadDataDto);
        return new UploadResult(sessionId, (dto.Files ?? new()).Select(f => UploadedAsset.From(f, sessionId)).ToList(), dto.SessionStateApplied ?? false);
    }

    internal static HttpContent Json<T>(T value, JsonTypeInfo<T> info)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, info));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    internal static T Deserialize<T>(JsonElement data, JsonTypeInfo<T> info)
    {
        try
        {
            return JsonSerializer.Deserialize(data, info) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new NemoApiException(NemoErrorKind.Protocol, $"The server's answer did not have the expected shape ({ex.Message})", inner: ex);
        }
    }
}
