using System.Text.Json;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace NemoVideo.Tests.Contract;

/// <summary>
/// A server that answers with the public record's samples (docs/API.md: the skills, the reference), not with our
/// emulator: placeholders filled in, nothing else changed — the anonymous token's expires_at already past, a render that
/// is an MP4 whatever was asked, the agent's ADK events. Behaviours are switched on per test.
/// </summary>
public sealed class PublicApiStubs : IDisposable
{
    public const string SessionId = "5529798706024415232";
    public const string Token = "nmv_usr_5f1c0a9e8d7b6a5f";

    private PublicApiStubs(WireMockServer server, string renderFile)
    {
        Server = server;
        RenderFile = renderFile;
    }

    public WireMockServer Server { get; }
    public Uri BaseUri => new(Server.Url! + "/");
    /// <summary>What the CDN serves for every render: an MP4 video (h264 + aac).</summary>
    public string RenderFile { get; }

    /// <summary>The requests the stubs received, in order.</summary>
    public IReadOnlyList<WireMock.Logging.ILogEntry> Log => Server.LogEntries.ToList();

    public IEnumerable<WireMock.Logging.ILogEntry> To(string method, string pathStart) =>
        Log.Where(e => e.RequestMessage.Method == method && e.RequestMessage.Path.StartsWith(pathStart, StringComparison.Ordinal));

    public static async Task<PublicApiStubs> StartAsync(string renderShape = "data")
    {
        var render = await Media.ClipAsync(".mp4", seconds: 3);
        var stubs = new PublicApiStubs(WireMockServer.Start(), render);
        stubs.Arm(renderShape);
        return stubs;
    }

    private void Arm(string renderShape)
    {
        var cdn = Server.Url + "/cdn/renders/export.mp4";
        Json("POST", "/api/auth/anonymous-token",
            $$$"""{"code":0,"data":{"token":"{{{Token}}}","user_id":"anon_7a6b5c","expires_at":"2026-03-18T00:00:00Z","credits":100}}""");
        Json("POST", "/api/tasks/me/with-session/nemo_agent",
            $$$"""{"code":0,"data":{"task_id":"task_a1b2c3","session_id":"{{{SessionId}}}","user_id":"anon_7a6b5c"}}""");
        Json("POST", "/api/upload-video/nemo_agent/me/*",
            $$$"""{"code":0,"data":{"files":[{"filename":"clip.mkv","file_type":"video","cdn_url":"{{{Server.Url}}}/cdn/uploads/clip.mkv","duration":3.0,"width":640,"height":360,"fps":25,"hash":"abc123"}],"session_state_applied":true}}""");
        Json("GET", "/api/state/nemo_agent/me/*",
            """{"code":0,"data":{"state":{"draft":{"t":[{"tt":0,"sg":[{"n":"clip","src":"/mnt/userdata/anon_7a6b5c/5529798706024415232/clip.mkv","st":0,"d":3000}]}],"d":3000,"m":{"title":"project","width":640,"height":360}},"video_infos":[{"filename":"clip.mkv","cdn_url":"https://cdn.invalid/should-not-win.mkv"}],"canvas_config":{},"video_analyses":[],"generated_media":[]}}}""");
        Json("GET", "/api/credits/balance/simple", """{"code":0,"data":{"available":25000,"frozen":40,"total":25040}}""");
        Json("POST", "/api/auth/claim-token", """{"code":0,"data":{"claim_token":"clm_xxx","expires_in":604800}}""");
        Sse(AdkEdit());
        Json("POST", "/api/render/proxy/lambda", """{"success":true,"data":{"id":"render_1773423613616","status":"pending","progress":5}}""");
        Json("GET", "/api/render/proxy/lambda/*", renderShape == "toplevel"
            ? $$$"""{"success":true,"id":"render_1773423613616","status":"completed","progress":100,"output":{"url":"{{{cdn}}}"}}"""
            : $$$"""{"success":true,"data":{"id":"render_1773423613616","status":"completed","progress":100,"outputUrl":"{{{cdn}}}","createdAt":1773423613616,"completedAt":1773423641222}}""");
        Server.Given(Request.Create().WithPath("/cdn/renders/*").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "video/mp4").WithBody(File.ReadAllBytes(RenderFile)));
    }

    /// <summary>ADK events of an edit: a function call, its response, the model's words (no end event: the stream just ends).</summary>
    public static string AdkEdit(string? trailing = null)
    {
        string Event(string part) =>
            $$$"""data: {"id":"ev_{{{Guid.NewGuid():N}}}","invocationId":"e-1a2b","author":"nemo_agent","content":{"role":"model","parts":[{{{part}}}]}}""" + "\n\n";
        return ": keep-alive\n\ndata:\n\n"
            + Event("""{"functionCall":{"id":"call_1","name":"set_audio_export","args":{"format":"mp3"}}}""")
            + Event("""{"functionResponse":{"id":"call_1","name":"set_audio_export","response":{"status":"ok"}}}""")
            + Event("""{"text":"Done. Your audio is ready to export as MP3."}""")
            + (trailing is null ? "" : "data: " + trailing + "\n\n");
    }

    /// <summary>Replaces the agent's stream (a trailing error, say).</summary>
    public void Sse(string body, int priority = 10) =>
        Server.Given(Request.Create().WithPath("/run_sse").UsingPost()).AtPriority(priority)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "text/event-stream").WithBody(body));

    /// <summary>Answers a route with a status and a body, in front of the samples (lower priority numbers win).</summary>
    public void Answer(string method, string path, int status, string body, int priority = 1, string? retryAfter = null)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (retryAfter != null) response = response.WithHeader("Retry-After", retryAfter);
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(priority).RespondWith(response);
    }

    /// <summary>The first call to a route gets this answer, later ones the sample.</summary>
    public void AnswerOnce(string method, string path, int status, string body)
    {
        var scenario = "once " + method + " " + path;
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(1).InScenario(scenario).WillSetStateTo("done")
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));
    }

    private void Json(string method, string path, string body) =>
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).AtPriority(10)
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));

    /// <summary>The render request's <c>output</c> object and draft, as the client sent them.</summary>
    public (JsonElement Output, string Draft) RenderRequest()
    {
        var body = To("POST", "/api/render/proxy/lambda").Single().RequestMessage.Body!;
        var root = JsonDocument.Parse(body).RootElement;
        return (root.GetProperty("output").Clone(), root.GetProperty("draft").GetRawText());
    }

    public void Dispose() => Server.Stop();
}
