using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using NemoVideo.Emulator;

namespace NemoVideo.Tests.Emulator;

/// <summary>
/// The emulator spoken to by hand over loopback HTTP, call by call as docs/API.md describes them (no client library in
/// between): a token, a session, uploads, agent messages, the state, renders and their download.
/// </summary>
internal sealed class EmulatorHttp : IDisposable
{
    private readonly HttpClient _http;
    private readonly HttpClient _cdn;

    private EmulatorHttp(HttpClient http, string sessionId)
    {
        _http = http;
        _cdn = new HttpClient { Timeout = http.Timeout };
        SessionId = sessionId;
    }

    public string SessionId { get; }

    public static async Task<EmulatorHttp> OpenAsync(EmulatorServer server)
    {
        var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(3) };
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "api/auth/anonymous-token");
        tokenRequest.Headers.Add("X-Client-Id", Guid.NewGuid().ToString());
        var token = (await SendAsync(http, tokenRequest))["token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var sessionRequest = new HttpRequestMessage(HttpMethod.Post, "api/tasks/me/with-session/nemo_agent") { Content = Json(new JsonObject { ["task_name"] = "project", ["language"] = "en" }) };
        var session = (await SendAsync(http, sessionRequest))["session_id"]!.GetValue<string>();
        return new EmulatorHttp(http, session);
    }

    /// <summary>Uploads files as one multipart request, one part named files each; the answer's files[].</summary>
    public async Task<JsonArray> UploadAsync(params string[] paths)
    {
        using var form = new MultipartFormDataContent();
        foreach (var path in paths)
        {
            var part = new StreamContent(File.OpenRead(path), 64 * 1024);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "files", Path.GetFileName(path));
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/upload-video/nemo_agent/me/{SessionId}") { Content = form };
        return (await SendAsync(_http, request))["files"]!.AsArray();
    }

    /// <summary>Sends one message to the agent and reads its stream to the end.</summary>
    public async Task<string> SayAsync(string text)
    {
        var body = new JsonObject
        {
            ["app_name"] = "nemo_agent", ["user_id"] = "me", ["session_id"] = SessionId,
            ["new_message"] = new JsonObject { ["parts"] = new JsonArray(new JsonObject { ["text"] = text }) },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "run_sse") { Content = Json(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await _http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public async Task<JsonObject> StateAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/state/nemo_agent/me/{SessionId}/latest");
        return (await SendAsync(_http, request))["state"]!.AsObject();
    }

    /// <summary>Submits a render of the draft, polls it until it ends, and answers its last status (data).</summary>
    public async Task<JsonObject> RenderAsync(JsonNode draft, JsonObject output)
    {
        var id = "render_" + DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + "_" + Guid.NewGuid().ToString("N")[..8];
        using (var submit = new HttpRequestMessage(HttpMethod.Post, "api/render/proxy/lambda")
        {
            Content = Json(new JsonObject { ["id"] = id, ["sessionId"] = SessionId, ["draft"] = draft.DeepClone(), ["output"] = output }),
        })
        {
            submit.Headers.Add("X-Skill-Source", "nemo-powershell");
            submit.Headers.Add("X-Skill-Version", "0.1.0-test");
            submit.Headers.Add("X-Skill-Platform", "unknown");
            using var answer = await _http.SendAsync(submit);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.IsSuccessStatusCode, text);
        }
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            using var poll = await _http.GetAsync($"api/render/proxy/lambda/{id}");
            var data = JsonNode.Parse(await poll.Content.ReadAsStringAsync())!["data"]!.AsObject();
            if (data["status"]!.GetValue<string>() is not ("pending" or "processing")) return data;
            Assert.True(DateTime.UtcNow < deadline, $"render {id} still {data["status"]} after 2 minutes");
            await Task.Delay(100);
        }
    }

    /// <summary>Fetches a CDN address without the token, as a CDN is fetched.</summary>
    public async Task<byte[]> DownloadAsync(string url)
    {
        using var response = await _cdn.GetAsync(url);
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    /// <summary>Sends a request that must succeed, and answers the envelope's data.</summary>
    private static async Task<JsonObject> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var envelope = JsonNode.Parse(text)!;
        Assert.True(response.IsSuccessStatusCode && envelope["code"]?.GetValue<int>() == 0, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {text}");
        return envelope["data"]!.AsObject();
    }

    public void Dispose()
    {
        _http.Dispose();
        _cdn.Dispose();
    }
}
