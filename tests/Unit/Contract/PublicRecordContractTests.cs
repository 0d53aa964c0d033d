using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Contract;

/// <summary>
/// The core against the public samples served verbatim by WireMock (not our emulator, which agrees with our client by
/// construction): the main job, tokens, the agent's ways of failing, export refused, headers and what is asked for.
/// </summary>
public class PublicRecordContractTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private async Task<string> SourceAsync(string name = "clip.mkv")
    {
        var path = _env.PathIn(name);
        File.Copy(await Media.ClipAsync(".mkv", seconds: 3), path, overwrite: true);
        return path;
    }

    [Theory]
    [InlineData("data")]
    [InlineData("toplevel")]
    public async Task The_main_job_turns_the_MP4_the_service_renders_into_a_real_MP3_at_the_asked_bitrate(string renderShape)
    {
        using var api = await PublicApiStubs.StartAsync(renderShape);
        using var client = _env.Client(api.BaseUri);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("clip.mp3"), 320));

        var facts = MediaInspector.Inspect(result.Output.FullName);
        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.Equal(320, facts.AudioBitrateKbps);
        Assert.Equal(320, result.BitrateKbps);
        Assert.True(result.FinishedLocally);
        Assert.Contains("MP4 video", Assert.Single(result.Warnings));
        Assert.Equal("render_1773423613616", result.RenderId);
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
    }

    [Fact]
    public async Task Without_ffmpeg_the_MP4_is_an_error_naming_the_render_and_nothing_is_left_at_the_mp3_path()
    {
        using var api = await PublicApiStubs.StartAsync();
        using var client = _env.Client(api.BaseUri);
        var source = await SourceAsync();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn("clip.mp3"), 320)));
        Assert.Equal(NemoErrorKind.WrongOutput, ex.Kind);
        Assert.Contains("render_1773423613616", ex.Message);
        Assert.Contains("/cdn/renders/export.mp4", ex.Message);
        Assert.Equal(new[] { "clip.mkv" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task What_is_asked_and_how_it_is_attributed()
    {
        using var api = await PublicApiStubs.StartAsync();
        using var client = _env.Client(api.BaseUri);
        await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("clip.mp3"), 320));

        var (output, draft) = api.RenderRequest();
        Assert.Equal("mp3", output.GetProperty("codec").GetString());
        Assert.Equal("320k", output.GetProperty("audioBitrate").GetString());
        Assert.Contains(api.Server.Url + "/cdn/uploads/clip.mkv", draft); // the service path rewritten to the upload's cdn_url
        Assert.DoesNotContain("/mnt/userdata/", draft);
        foreach (var entry in api.Log.Where(e => !e.RequestMessage.Path.StartsWith("/cdn/")))
        {
            var h = entry.RequestMessage.Headers!;
            Assert.Equal("ffmpeg-video-to-mp3", h["X-Skill-Source"].Single());
            Assert.Equal("unknown", h["X-Skill-Platform"].Single());
            Assert.Equal("0.1.0-test", h["X-Skill-Version"].Single());
        }
        Assert.All(api.To("GET", "/cdn/"), e => Assert.False(e.RequestMessage.Headers!.ContainsKey("Authorization")));
        Assert.Matches("^[0-9a-f-]{36}$", api.To("POST", "/api/auth/anonymous-token").Single().RequestMessage.Headers!["X-Client-Id"].Single());
    }

    [Fact]
    public async Task The_sample_token_whose_expires_at_is_past_serves_a_whole_batch()
    {
        using var api = await PublicApiStubs.StartAsync();
        using var client = _env.Client(api.BaseUri);
        var source = await SourceAsync();
        for (var i = 0; i < 3; i++) await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(source, _env.PathIn($"c{i}.mp3"), 128));
        Assert.Single(api.To("POST", "/api/auth/anonymous-token"));
        Assert.All(api.Log.Where(e => !e.RequestMessage.Path.StartsWith("/cdn/") && e.RequestMessage.Path != "/api/auth/anonymous-token"),
            e => Assert.Equal("Bearer " + PublicApiStubs.Token, e.RequestMessage.Headers!["Authorization"].Single()));
    }

    [Fact]
    public async Task A_session_lost_with_FastAPIs_404_detail_starts_a_new_session_and_the_file_converts()
    {
        using var api = await PublicApiStubs.StartAsync();
        api.AnswerOnce("POST", "/run_sse", 404, """{"detail":"Session not found: 5529798706024415232"}""");
        using var client = _env.Client(api.BaseUri);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("clip.mp3"), 192));
        Assert.Equal(2, api.To("POST", "/api/tasks/").Count());
        Assert.Equal(2, api.To("POST", "/run_sse").Count());
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
    }

    [Fact]
    public async Task A_trailing_error_after_a_good_edit_is_judged_by_the_state_and_the_file_converts()
    {
        using var api = await PublicApiStubs.StartAsync();
        api.Sse(PublicApiStubs.AdkEdit(trailing: """{"error":"I encountered a temporary issue. Please try again."}"""), priority: 1);
        using var client = _env.Client(api.BaseUri);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("clip.mp3"), 192));
        Assert.Single(api.To("POST", "/run_sse"));
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
    }

    [Fact]
    public async Task An_error_before_anything_else_is_an_agent_error()
    {
        using var api = await PublicApiStubs.StartAsync();
        api.Sse("data: {\"error\":\"model overloaded\"}\n\n", priority: 1);
        using var client = _env.Client(api.BaseUri);
        var source = await SourceAsync();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(source, _env.PathIn("clip.mp3"), 192)));
        Assert.Equal(NemoErrorKind.AgentError, ex.Kind);
        Assert.Contains("model overloaded", ex.Message);
        Assert.Empty(api.To("POST", "/api/render/"));
    }

    [Fact]
    public async Task An_export_refused_with_402_stops_the_rest_of_the_batch()
    {
        using var api = await PublicApiStubs.StartAsync();
        api.Answer("POST", "/api/render/proxy/lambda", 402, """{"success":false,"error":"Insufficient scope: render"}""");
        using var client = _env.Client(api.BaseUri);
        var requests = new List<MediaJobRequest>();
        for (var i = 0; i < 3; i++) requests.Add(new Mp3Request(await SourceAsync($"in{i}.mkv"), _env.PathIn($"in{i}.mp3"), 128));
        var observer = new NemoVideo.Tests.Reliability.FaultToleranceTests.Recorder();
        await new BatchRunner(FastJobs.Cloud(client, ffmpeg: true).RunAsync, throttle: 1).RunAsync(requests, observer, CancellationToken.None);
        Assert.Equal(NemoErrorKind.PlanRequired, observer.StopCause!.Kind);
        Assert.Contains("Insufficient scope", observer.StopCause.Message);
        Assert.Equal(new[] { 0, 1, 2 }, observer.Skipped);
        Assert.Single(api.To("POST", "/run_sse")); // files not started paid for no edit
    }

    [Fact]
    public async Task A_429_on_the_anonymous_token_says_when_and_what_avoids_it()
    {
        using var api = await PublicApiStubs.StartAsync();
        api.Answer("POST", "/api/auth/anonymous-token", 429, """{"code":429,"message":"Too many requests"}""", retryAfter: "7200");
        using var client = _env.Client(api.BaseUri);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync());
        Assert.Equal(NemoErrorKind.TokenRateLimited, ex.Kind);
        Assert.Contains("in 2 hours", ex.Message);
        Assert.Contains("NEMO_TOKEN", ex.Advice);
        Assert.Single(api.To("POST", "/api/auth/anonymous-token"));
    }

    [Fact]
    public async Task Credits_and_the_workspace_link_read_the_samples()
    {
        using var api = await PublicApiStubs.StartAsync();
        using var client = _env.Client(api.BaseUri);
        var credits = await client.GetCreditsAsync();
        Assert.Equal(25000, credits.Available);
        var link = await client.CreateWorkspaceLinkAsync(new NemoSession("task_a1b2c3", PublicApiStubs.SessionId, null));
        Assert.Equal("https://nemovideo.com/workspace/claim?ct=clm_xxx", link.AbsoluteUri);
    }
}
