using System.Globalization;
using System.Text.Json.Nodes;

namespace NemoVideo.Emulator;

/// <summary>Export: submit, poll, cancel and the fallback download; renders are made by ffmpeg in the background.</summary>
internal sealed partial class ApiEndpoints
{
    private static readonly string[] RenderFormats = { "mp4", "mov", "webm", "mp3", "wav", "m4a", "aac" };

    private async Task<IResult> SubmitRender(HttpContext ctx)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        var h = ctx.Request.Headers;
        if (_options.ExportBlocked || !h.ContainsKey("X-Skill-Source") || !h.ContainsKey("X-Skill-Version") || !h.ContainsKey("X-Skill-Platform"))
            return Replies.RenderFail(402, _options.ExportBlocked ? "Export is not available on the free plan" : "Export blocked: missing attribution headers");
        if (_options.Documented && (h["X-Skill-Source"].ToString().Length == 0 || h["X-Skill-Platform"].ToString() is not ("clawhub" or "cursor" or "unknown")))
            return Replies.RenderFail(402, "Export blocked: attribution headers not recognised");
        if (_options.AnonymousCannotRender && account.Anonymous)
            return Replies.RenderFail(402, "This token lacks the render scope (anonymous tokens have read, write and upload)");
        var body = await ReadJson(ctx);
        var id = body?["id"]?.ToString();
        var sessionId = body?["sessionId"]?.ToString() ?? "";
        var draft = body?["draft"] as JsonObject;
        var format = body?["output"]?["format"]?.ToString()?.ToLowerInvariant() ?? "mp4";
        if (string.IsNullOrEmpty(id)) return Replies.RenderFail(400, "id is required");
        if (FindSession(sessionId, account) is null) return Replies.SessionNotFound();
        if (!RenderFormats.Contains(format)) return Replies.RenderFail(400, $"Unsupported output format {format}");
        var segment = draft?["t"]?.AsArray().Select(t => t?["sg"]?.AsArray().FirstOrDefault()).FirstOrDefault(s => s != null);
        if (segment == null) return Replies.RenderFail(400, "The draft has no track with segments to export");
        var assetId = segment["asset"]?.ToString();
        if (assetId == null || !_store.Assets.TryGetValue(assetId, out var asset)) return Replies.RenderFail(400, "The draft refers to media that is not in this session");

        var meta = draft!["m"] as JsonObject ?? new JsonObject();
        var settings = (JsonObject)meta.DeepClone();
        if (_options.Documented || _options.RendersOnlyMp4)
            (format, settings) = DocumentedRender(_options.RendersOnlyMp4 ? null : body?["output"] as JsonObject, settings, keepHeight: !_options.RendersOnlyMp4);
        else if (format == "mp4" && body?["output"] is JsonObject asked)
            HonourVideoOutput(asked, settings);
        var render = new Render { Id = id, SessionId = sessionId, UserId = account.UserId, Format = format };
        if (!_store.Renders.TryAdd(id, render)) return Replies.RenderFail(409, $"Duplicate render id {id}");
        // Everything the render needs is taken now: the HttpContext is recycled once this request ends.
        _ = Task.Run(() => RunRender(render, asset, settings));
        return RenderReply(render, null);
    }

    private IResult GetRender(HttpContext ctx, string id)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        if (!_store.Renders.TryGetValue(id, out var r) || r.UserId != account.UserId) return Replies.RenderFail(404, $"Render {id} not found");
        return RenderReply(r, ctx.Request.Scheme + "://" + ctx.Request.Host);
    }

    private IResult CancelRender(HttpContext ctx, string id)
    {
        if (Authenticate(ctx) is not Account account) return Replies.TokenInvalid();
        if (!_store.Renders.TryGetValue(id, out var r) || r.UserId != account.UserId) return Replies.RenderFail(404, $"Render {id} not found");
        if (r.Status is "pending" or "processing")
        {
            r.Status = "cancelled";
            r.Cancel.Cancel();
            _store.CountRenderCancel();
        }
        return RenderReply(r, null);
    }

    private async Task DownloadRender(HttpContext ctx, string id)
    {
        if (Authenticate(ctx) is not Account account) { await Replies.TokenInvalid().ExecuteAsync(ctx); return; }
        if (!_store.Renders.TryGetValue(id, out var r) || r.UserId != account.UserId || r.Status != "completed" || r.OutputPath == null)
        {
            await Replies.RenderFail(404, $"Render {id} has no output").ExecuteAsync(ctx);
            return;
        }
        await SendFile(ctx, r.OutputPath);
    }

    private IResult RenderReply(Render r, string? origin)
    {
        var url = r.Status == "completed" && origin != null ? $"{origin}/cdn/renders/{r.Id}/{Uri.EscapeDataString(r.OutputName!)}" : null;
        var progress = Math.Round(r.Progress, 1);
        if (_options.RenderShape == RenderShape.TopLevel)
        {
            return Results.Json(new JsonObject
            {
                ["success"] = true, ["id"] = r.Id, ["status"] = r.Status, ["progress"] = progress,
                ["output"] = url == null ? null : new JsonObject { ["url"] = url }, ["error"] = r.Error,
            });
        }
        return Results.Json(new JsonObject
        {
            ["success"] = true,
            ["data"] = new JsonObject
            {
                ["id"] = r.Id, ["status"] = r.Status, ["progress"] = progress, ["outputUrl"] = url,
                ["createdAt"] = r.CreatedAt, ["completedAt"] = r.CompletedAt, ["error"] = r.Error,
            },
        });
    }

    private async Task RunRender(Render render, Asset asset, JsonObject meta)
    {
        var ct = render.Cancel.Token;
        var output = Path.Combine(_data, "renders", render.Id + "." + render.Format);
        var started = DateTime.UtcNow;
        try
        {
            render.Status = "processing";
            var args = RenderArguments(asset, meta, render.Format, output);
            // The same source rendered the same way is the same file: made once by ffmpeg, copied after (the
            // render still takes at least MinRenderTime), so a batch of copies measures the client, not ffmpeg.
            var key = asset.Hash + "|" + string.Join(" ", args.Take(args.Count - 1).Skip(2));
            if (_store.Renders.Values.FirstOrDefault(r => r.CacheKey == key && r.Status == "completed" && r.OutputPath != null && File.Exists(r.OutputPath)) is Render same)
            {
                File.Copy(same.OutputPath!, output, overwrite: true);
            }
            else
            {
                var (code, errors) = await _media.RenderAsync(args, asset.Duration, p => render.Progress = Math.Max(render.Progress, 5 + 95 * Math.Min(p, Share(started))), ct);
                if (code != 0) { render.Error = "ffmpeg failed: " + errors.Trim(); render.Status = "failed"; return; }
            }
            render.CacheKey = key;
            // A render is never quicker than MinRenderTime: progress walks on in the meantime.
            while (Share(started) < 1)
            {
                render.Progress = Math.Max(render.Progress, 5 + 95 * Share(started));
                await Task.Delay(50, ct);
            }
            render.OutputPath = output;
            render.OutputName = Path.GetFileNameWithoutExtension(meta["title"]?.ToString() ?? "export") + "." + render.Format;
            render.Progress = 100;
            render.CompletedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            render.Status = "completed";
        }
        catch (OperationCanceledException)
        {
            render.Status = "cancelled";
            TryDelete(output);
        }
        catch (Exception ex)
        {
            render.Error = ex.Message;
            render.Status = "failed";
        }
    }

    /// <summary>
    /// What the documented service renders: an MP4 of the timeline whatever <c>format</c> says, unless the request asks
    /// in the renderer's vocabulary (codec mp3 with audioBitrate; codec h264 with videoBitrate or crf). What the agent
    /// chose for the bitrate is not the renderer's business; the timeline's track and height are.
    /// </summary>
    private static (string Format, JsonObject Settings) DocumentedRender(JsonObject? output, JsonObject agent, bool keepHeight)
    {
        var settings = new JsonObject();
        foreach (var key in keepHeight ? new[] { "title", "audio_track", "height" } : new[] { "title", "audio_track" })
            if (agent[key] is JsonNode n) settings[key] = n.DeepClone();
        int? Kbps(string key) => output?[key]?.ToString() is string text && int.TryParse(text.TrimEnd('k', 'K'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k)
            ? (text.EndsWith("M", StringComparison.OrdinalIgnoreCase) ? k * 1000 : k) : null;
        switch (output?["codec"]?.ToString()?.ToLowerInvariant())
        {
            case "mp3":
                settings["audio_bitrate_kbps"] = Kbps("audioBitrate") ?? 128;
                return ("mp3", settings);
            case "h264" when Kbps("videoBitrate") is int video:
                settings["video_bitrate_kbps"] = video;
                return ("mp4", settings);
            default:
                settings["crf"] = output?["crf"] is JsonValue v && v.TryGetValue<int>(out var crf) ? crf : 23;
                return ("mp4", settings);
        }
    }

    /// <summary>
    /// Beyond the record (not in documented mode): the renderer's own video fields win over what the agent set — codec
    /// h265 renders HEVC tagged hvc1, videoBitrate the bitrate.
    /// </summary>
    private static void HonourVideoOutput(JsonObject output, JsonObject settings)
    {
        if (output["codec"]?.ToString()?.ToLowerInvariant() is "h265" or "hevc") settings["codec"] = "h265";
        if (output["videoBitrate"]?.ToString() is string text && int.TryParse(text.TrimEnd('k', 'K'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k))
            settings["video_bitrate_kbps"] = text.EndsWith("M", StringComparison.OrdinalIgnoreCase) ? k * 1000 : k;
    }

    private double Share(DateTime started) =>
        _options.MinRenderTime <= TimeSpan.Zero ? 1 : Math.Min(1, (DateTime.UtcNow - started) / _options.MinRenderTime);

    private static List<string> RenderArguments(Asset asset, JsonObject meta, string format, string output)
    {
        int? Int(string key) => meta[key] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;
        var args = new List<string> { "-i", asset.LocalPath };
        if (format is "mp3" or "wav" or "m4a" or "aac")
        {
            var track = Math.Max(1, Int("audio_track") ?? 1) - 1;
            var kbps = Int("audio_bitrate_kbps") ?? 192;
            args.AddRange(new[] { "-map", $"0:a:{track}", "-vn" });
            if (meta["loudness_lufs"] is JsonValue lufs && lufs.TryGetValue<double>(out var target))
            {
                var peak = meta["true_peak_dbtp"] is JsonValue tp && tp.TryGetValue<double>(out var p) ? p : -1;
                args.AddRange(new[] { "-af", string.Format(CultureInfo.InvariantCulture, "loudnorm=I={0}:TP={1}:LRA=11,aresample=44100", target, peak) });
            }
            args.AddRange(format switch
            {
                "mp3" when Int("vbr_quality") is int q => new[] { "-c:a", "libmp3lame", "-q:a", q.ToString(CultureInfo.InvariantCulture) },
                "mp3" => new[] { "-c:a", "libmp3lame", "-b:a", kbps + "k" },
                "wav" => new[] { "-c:a", "pcm_s16le" },
                _ => new[] { "-c:a", "aac", "-b:a", kbps + "k" },
            });
        }
        else if (!asset.HasVideo && asset.AudioStreams > 0)
        {
            // A video container for an audio-only timeline (documented mode without codec mp3: "renders are MP4"):
            // the container holds the audio alone. Nothing in the record says the renderer paints a picture for it.
            args.AddRange(new[] { "-map", "0:a:0", "-vn", "-c:a", format == "webm" ? "libopus" : "aac", "-b:a", (Int("audio_bitrate_kbps") ?? 128) + "k" });
            if (format is "mp4" or "mov") args.AddRange(new[] { "-movflags", "+faststart" });
        }
        else
        {
            var kbps = Int("video_bitrate_kbps") ?? 4000;
            var rate = kbps.ToString(CultureInfo.InvariantCulture) + "k";
            var h265 = meta["codec"]?.ToString() == "h265" && format != "webm";
            args.AddRange(new[] { "-map", "0:v:0", "-map", "0:a:0?", "-c:v", format == "webm" ? "libvpx-vp9" : h265 ? "libx265" : "libx264" });
            if (h265)
            {
                args.AddRange(new[] { "-tag:v", "hvc1", "-preset", "veryfast", "-x265-params", "log-level=error" });
                args.AddRange(Int("crf") is int q ? new[] { "-crf", q.ToString(CultureInfo.InvariantCulture) } : new[] { "-b:v", rate, "-maxrate", rate, "-bufsize", rate });
            }
            else if (Int("crf") is int crf) args.AddRange(new[] { "-crf", crf.ToString(CultureInfo.InvariantCulture), "-preset", "veryfast" });
            else
            {
                args.AddRange(new[] { "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate });
                if (format != "webm") args.AddRange(new[] { "-x264-params", "nal-hrd=cbr", "-preset", "veryfast" });
            }
            if (Int("height") is int h && asset.Height is int sh && h != sh) args.AddRange(new[] { "-vf", $"scale=-2:{h}" });
            args.AddRange(new[] { "-c:a", format == "webm" ? "libopus" : "aac", "-b:a", "128k" });
            if (format is "mp4" or "mov") args.AddRange(new[] { "-movflags", "+faststart" });
        }
        args.Add(output);
        return args;
    }
}
