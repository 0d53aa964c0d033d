using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace NemoVideo.Emulator;

/// <summary>The API's endpoints: auth, sessions, upload, state, credits and the CDN (agent and render in their own files).</summary>
internal sealed partial class ApiEndpoints
{
    private static readonly string[] VideoExt = { ".mp4", ".mov", ".avi", ".webm", ".mkv" };
    private static readonly string[] ImageExt = { ".jpg", ".jpeg", ".png", ".gif", ".webp" };
    private static readonly string[] AudioExt = { ".mp3", ".wav", ".m4a", ".aac" };

    private readonly EmulatorOptions _options;
    private readonly EmulatorStore _store;
    private readonly MediaTools _media;
    private readonly string _data;
    private readonly Random _random;
    private readonly Uplink _uplink;

    public ApiEndpoints(EmulatorOptions options, EmulatorStore store, MediaTools media, string data, Uplink uplink)
    {
        _uplink = uplink;
        _options = options;
        _store = store;
        _media = media;
        _data = data;
        _random = new Random(options.Seed);
    }

    public void Map(WebApplication app)
    {
        app.MapPost("/api/auth/anonymous-token", new Func<HttpContext, IResult>(AnonymousToken));
        app.MapPost("/api/auth/claim-token", new Func<HttpContext, Task<IResult>>(ClaimToken));
        app.MapPost("/api/tasks/{user}/with-session/nemo_agent", new Func<HttpContext, Task<IResult>>(CreateSession));
        app.MapPost("/api/upload-video/nemo_agent/{user}/{sessionId}", Upload);
        app.MapGet("/api/state/nemo_agent/{user}/{sessionId}/latest", State);
        app.MapGet("/api/credits/balance/simple", new Func<HttpContext, IResult>(Credits));
        app.MapPost("/run_sse", RunSse);
        app.MapPost("/api/render/proxy/lambda", new Func<HttpContext, Task<IResult>>(SubmitRender));
        app.MapGet("/api/render/proxy/lambda/{id}", GetRender);
        app.MapPost("/api/render/proxy/lambda/{id}/cancel", CancelRender);
        app.MapGet("/api/render/proxy/{id}/download", DownloadRender);
        app.MapGet("/cdn/{kind}/{id}/{name}", Cdn);
    }

    private Account? Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return null;
        return _store.Tokens.TryGetValue(header[7..].Trim(), out var a) && a.ExpiresAt > DateTimeOffset.UtcNow ? a : null;
    }

    private Session? FindSession(string sessionId, Account account) =>
        _store.Sessions.TryGetValue(sessionId, out var s) && s.UserId == account.UserId ? s : null;

    private IResult AnonymousToken(HttpContext ctx)
    {
        var clientId = ctx.Request.Headers["X-Client-Id"].ToString();
        if (string.IsNullOrWhiteSpace(clientId)) return Replies.Fail(400, 400, "X-Client-Id header is required");
        // Documented: one token per client id a week. Otherwise one grant per client id while it lasts: asking again returns the same token.
        if (_store.ByClientId.TryGetValue(clientId, out var existing) && existing.ExpiresAt > DateTimeOffset.UtcNow)
        {
            if (!_options.Documented) return Replies.Ok(TokenJson(existing));
            var wait = existing.IssuedAt.AddDays(7) - DateTimeOffset.UtcNow;
            ctx.Response.Headers.RetryAfter = ((int)Math.Max(1, wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Replies.Fail(429, 429, "Anonymous token limit reached for this client; try again later");
        }
        var hourAgo = DateTimeOffset.UtcNow.AddHours(-1);
        lock (_store.AnonymousIssued)
        {
            while (_store.AnonymousIssued.TryPeek(out var t) && t < hourAgo) _store.AnonymousIssued.TryDequeue(out _);
            if (_store.AnonymousIssued.Count >= _options.AnonymousTokensPerAddressPerHour)
            {
                ctx.Response.Headers.RetryAfter = "3600";
                return Replies.Fail(429, 429, "Too many anonymous tokens from this address; try again later");
            }
            _store.AnonymousIssued.Enqueue(DateTimeOffset.UtcNow);
        }
        var account = new Account
        {
            Token = "nmv_usr_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant(),
            UserId = "anon_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant(),
            ExpiresAt = DateTimeOffset.UtcNow + _options.TokenLifetime,
            Anonymous = true,
            ClientId = clientId,
        };
        account.Grant(_options.AnonymousCredits);
        _store.Tokens[account.Token] = account;
        _store.ByClientId[clientId] = account;
        _store.CountAnonymous();
        return Replies.Ok(TokenJson(account));
    }

    private JsonObject TokenJson(Account a) => new()
    {
        // The reference's sample states 2026-03-18, already past, for a token that works: the date is a hint.
        ["token"] = a.Token, ["user_id"] = a.UserId,
        ["expires_at"] = _options.Documented ? "2026-03-18T00:00:00Z" : a.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ"), ["credits"] = a.Available,
    };

    /// <summary>A claim token opens a session's project in the web app; it is not a bearer token.</summary>
    private async Task<IResult> ClaimToken(HttpContext ctx)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        var body = await ReadJson(ctx);
        var sessionId = body?["session_id"]?.ToString() ?? "";
        if (FindSession(sessionId, account) is not Session session || session.TaskId != body?["task_id"]?.ToString()) return Replies.SessionNotFound();
        return Replies.Ok(new JsonObject { ["claim_token"] = "clm_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant(), ["expires_in"] = 604800 });
    }

    private async Task<IResult> CreateSession(HttpContext ctx)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        var body = await ReadJson(ctx);
        var session = new Session
        {
            SessionId = _store.NextSessionId(),
            TaskId = "task_" + Guid.NewGuid().ToString("N")[..12],
            UserId = account.UserId,
        };
        if (body?["task_name"]?.GetValue<string>() is string name) session.Draft["m"]!["title"] = name;
        _store.Sessions[session.SessionId] = session;
        return Replies.Ok(new JsonObject { ["task_id"] = session.TaskId, ["session_id"] = session.SessionId, ["user_id"] = account.UserId });
    }

    private async Task<IResult> Upload(HttpContext ctx, string sessionId)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        if (FindSession(sessionId, account) is not Session session) return Replies.SessionNotFound();
        var saved = new List<(string Name, string Path)>();
        var hashes = new Dictionary<string, string>();
        var contentType = ctx.Request.ContentType ?? "";
        try
        {
            if (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            {
                var body = await ReadJson(ctx);
                foreach (var u in body?["urls"]?.AsArray() ?? new JsonArray())
                {
                    var url = u!.GetValue<string>();
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || !(uri.IsLoopback))
                        return Replies.Fail(400, 4001, $"Cannot fetch {url} (the emulator fetches loopback addresses only)");
                    var file = Path.Combine(_data, "uploads", Guid.NewGuid().ToString("N") + Path.GetExtension(uri.AbsolutePath));
                    using var http = new HttpClient();
                    await using (var src = await http.GetStreamAsync(uri, ctx.RequestAborted))
                    await using (var dst = File.Create(file)) await src.CopyToAsync(dst, ctx.RequestAborted);
                    saved.Add((Path.GetFileName(uri.AbsolutePath), file));
                }
            }
            else
            {
                if (ctx.Request.ContentLength is long len && len > _options.MaxUploadBytes + 1024 * 1024)
                    return Replies.Fail(413, 4002, "File too large (max 500 MB)");
                var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(contentType).Boundary).Value;
                if (string.IsNullOrEmpty(boundary)) return Replies.Fail(400, 4001, "Expected multipart/form-data with parts named files");
                // Read through the modelled uplink (if any), in larger pieces than the reader's 4 KB so the pacing waits less often.
                var reader = _uplink.Mbps is null ? new MultipartReader(boundary, ctx.Request.Body) : new MultipartReader(boundary, _uplink.Wrap(ctx.Request.Body), 64 * 1024);
                while (await reader.ReadNextSectionAsync(ctx.RequestAborted) is MultipartSection section)
                {
                    if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || cd.Name.Value?.Trim('"') != "files") continue;
                    var name = Path.GetFileName((cd.FileNameStar.HasValue ? cd.FileNameStar.Value : cd.FileName.Value)?.Trim('"') ?? "upload.bin");
                    var file = Path.Combine(_data, "uploads", Guid.NewGuid().ToString("N") + Path.GetExtension(name));
                    long written = 0;
                    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256); // hashed as it arrives, not read twice
                    await using (var dst = File.Create(file))
                    {
                        var buffer = new byte[81920];
                        int n;
                        while ((n = await section.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
                        {
                            written += n;
                            if (written > _options.MaxUploadBytes) { dst.Close(); File.Delete(file); return Replies.Fail(413, 4002, $"{name} is too large (max 500 MB)"); }
                            hash.AppendData(buffer, 0, n);
                            await dst.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted);
                        }
                    }
                    hashes[file] = Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
                    saved.Add((name, file));
                }
                if (saved.Count == 0) return Replies.Fail(400, 4001, "No part named files was sent");
            }

            var files = new JsonArray();
            foreach (var (name, path) in saved)
            {
                var ext = Path.GetExtension(name).ToLowerInvariant();
                var type = VideoExt.Contains(ext) ? "video" : ImageExt.Contains(ext) ? "image" : AudioExt.Contains(ext) ? "audio" : null;
                if (type == null) return Replies.Fail(400, 4001, $"Unsupported file type: {name}");
                var info = type == "image" ? null : await ProbeOnceAsync(path, hashes.TryGetValue(path, out var known) ? known : null, ctx.RequestAborted);
                if (type != "image" && info == null) return Replies.Fail(400, 4001, $"{name} could not be read as {type}");
                var id = Guid.NewGuid().ToString("N")[..12];
                var asset = new Asset
                {
                    Id = id, FileName = name, FileType = type, LocalPath = path, CdnPath = $"{ctx.Request.Scheme}://{ctx.Request.Host}/cdn/uploads/{id}/{Uri.EscapeDataString(name)}",
                    Duration = info?.Duration, Width = info?.Width, Height = info?.Height, Fps = info?.Fps, AudioStreams = info?.AudioStreams ?? 0, HasVideo = info?.HasVideo ?? true, AudioLanguages = info?.AudioLanguages ?? Array.Empty<string?>(),
                    Hash = hashes.TryGetValue(path, out var h) ? h : await HashAsync(path),
                };
                _store.Assets[id] = asset;
                lock (session.Gate) session.Assets.Add(asset);
                files.Add(new JsonObject
                {
                    ["filename"] = name, ["file_type"] = type, ["cdn_url"] = asset.CdnPath, ["duration"] = asset.Duration,
                    ["width"] = asset.Width, ["height"] = asset.Height, ["fps"] = asset.Fps, ["hash"] = asset.Hash,
                });
            }
            saved.Clear();
            return Replies.Ok(new JsonObject { ["files"] = files, ["session_state_applied"] = true });
        }
        finally
        {
            foreach (var (_, path) in saved) if (!_store.Assets.Values.Any(a => a.LocalPath == path)) TryDelete(path);
        }
    }

    private IResult State(HttpContext ctx, string sessionId)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        if (FindSession(sessionId, account) is not Session session) return Replies.SessionNotFound();
        JsonObject state;
        lock (session.Gate)
        {
            var infos = new JsonArray(session.Assets.Select(a => (JsonNode)new JsonObject
            {
                ["filename"] = a.FileName, ["cdn_url"] = a.CdnPath, ["duration"] = a.Duration, ["width"] = a.Width, ["height"] = a.Height,
            }).ToArray());
            state = new JsonObject
            {
                ["draft"] = session.Draft.DeepClone(), ["video_infos"] = infos,
                ["canvas_config"] = new JsonObject { ["width"] = 1920, ["height"] = 1080 },
                ["video_analyses"] = new JsonArray(), ["generated_media"] = new JsonArray(),
            };
        }
        return Replies.Ok(new JsonObject { ["state"] = state });
    }

    private IResult Credits(HttpContext ctx)
    {
        if (Authenticate(ctx) is not Account a) return Replies.TokenInvalid();
        var data = new JsonObject { ["available"] = a.Available, ["frozen"] = a.Frozen };
        if (_options.CreditsShape == CreditsShape.Total) data["total"] = a.Available + a.Frozen;
        else { data["total_granted"] = a.Granted; data["total_consumed"] = a.Consumed; }
        return Replies.Ok(data);
    }

    private async Task Cdn(HttpContext ctx, string kind, string id, string name)
    {
        if (ctx.Request.Headers.Authorization.Count > 0) _store.CountCdnAuthorization();
        string? path = kind switch
        {
            "uploads" => _store.Assets.TryGetValue(id, out var a) ? a.LocalPath : null,
            "renders" => _store.Renders.TryGetValue(id, out var r) && r.Status == "completed" ? r.OutputPath : null,
            _ => null,
        };
        if (path == null || !File.Exists(path)) { ctx.Response.StatusCode = 404; return; }
        await SendFile(ctx, path);
    }

    internal static async Task SendFile(HttpContext ctx, string path)
    {
        var info = new FileInfo(path);
        ctx.Response.ContentType = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".mp3" => "audio/mpeg", ".mp4" => "video/mp4", ".wav" => "audio/wav", ".m4a" => "audio/mp4", ".aac" => "audio/aac", _ => "application/octet-stream",
        };
        ctx.Response.ContentLength = info.Length;
        await using var src = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await src.CopyToAsync(ctx.Response.Body, 81920, ctx.RequestAborted);
    }

    private static async Task<JsonNode?> ReadJson(HttpContext ctx)
    {
        try { return await JsonNode.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted); }
        catch (System.Text.Json.JsonException) { return null; }
    }

    /// <summary>The same bytes are the same media: probed once per content hash (a batch of copies costs one ffprobe).</summary>
    private async Task<MediaInfo?> ProbeOnceAsync(string path, string? hash, CancellationToken ct)
    {
        if (hash != null && _store.Probes.TryGetValue(hash, out var cached)) return cached;
        var info = await _media.ProbeAsync(path, ct);
        if (hash != null && info != null) _store.Probes[hash] = info;
        return info;
    }

    private static async Task<string> HashAsync(string path)
    {
        await using var f = File.OpenRead(path);
        return Convert.ToHexString(await SHA256.HashDataAsync(f))[..16].ToLowerInvariant();
    }

    internal static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
