using System.Text.Json;
using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Api;

/// <summary>The attribution headers and the workspace link as the skills document them, seen on the wire.</summary>
public class AttributionTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Each_job_names_its_seed_skill_and_the_platform_is_unknown()
    {
        await using var emu = await Emulators.StartAsync();
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        var clip = await Media.ClipAsync(seconds: 2);
        await FastJobs.Cloud(client).RunAsync(new Mp3Request(clip, _env.PathIn("a.mp3"), 128));
        var mp3Calls = wire.Sent.ToList();
        await FastJobs.Cloud(client).RunAsync(new CompressRequest(clip, _env.PathIn("a.small.mp4"), 400));
        var compressCalls = wire.Sent.Skip(mp3Calls.Count).ToList();

        Assert.All(mp3Calls.Where(r => !r.Path.StartsWith("/cdn/")), r => Assert.Equal("ffmpeg-video-to-mp3", r.Header("X-Skill-Source")));
        Assert.All(compressCalls.Where(r => !r.Path.StartsWith("/cdn/")), r => Assert.Equal("video-compressor-bitrate", r.Header("X-Skill-Source")));
        Assert.All(wire.Sent.Where(r => !r.Path.StartsWith("/cdn/")), r =>
        {
            Assert.Equal("unknown", r.Header("X-Skill-Platform"));
            Assert.Equal("0.1.0-test", r.Header("X-Skill-Version"));
        });
        Assert.All(wire.To("/cdn/"), r => Assert.Null(r.Header("Authorization")));
    }

    [Fact]
    public async Task A_job_s_skill_is_its_client_s_own_and_runs_at_the_same_time_do_not_mix_them()
    {
        await using var emu = await Emulators.StartAsync();
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        var compress = client.ForJob(NemoClientOptions.CompressSkill, "a.mov");
        var mp3 = client.ForJob(NemoClientOptions.Mp3Skill, "a.mkv");
        // Interleaved on one flow: with an ambient (AsyncLocal) skill the last one set would claim every call.
        await Task.WhenAll(compress.GetCreditsAsync(), mp3.GetCreditsAsync(), client.GetCreditsAsync(), compress.GetCreditsAsync());
        Assert.Equal(NemoClientOptions.CompressSkill, compress.Skill);
        Assert.Equal(new[] { NemoClientOptions.Mp3Skill, NemoClientOptions.Mp3Skill, NemoClientOptions.CompressSkill, NemoClientOptions.CompressSkill },
            wire.To("/api/credits").Select(r => r.Header("X-Skill-Source")).OrderBy(h => h, StringComparer.Ordinal));
        Assert.Equal(NemoClientOptions.Mp3Skill, client.Skill); // the building blocks' calls say whose they are, never by default of a job
        Assert.Same(client.Tokens, compress.Tokens); // one token for the connection
    }

    [Fact]
    public async Task SKILL_SOURCE_names_the_platform()
    {
        await using var emu = await Emulators.StartAsync();
        _env.Set("SKILL_SOURCE", "clawhub");
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        await client.GetCreditsAsync();
        Assert.All(wire.Sent, r => Assert.Equal("clawhub", r.Header("X-Skill-Platform")));
    }

    [Fact]
    public async Task Renders_are_asked_for_in_the_renderer_vocabulary()
    {
        await using var emu = await Emulators.StartAsync();
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        var clip = await Media.ClipAsync(seconds: 2);
        await FastJobs.Cloud(client).RunAsync(new Mp3Request(clip, _env.PathIn("a.mp3"), 320));
        await FastJobs.Cloud(client).RunAsync(new CompressRequest(clip, _env.PathIn("a.small.mp4"), 800));
        var outputs = wire.To("/api/render/proxy/lambda").Where(r => r.Method == "POST" && r.Body != null)
            .Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("output")).ToList();
        Assert.Equal(2, outputs.Count);
        Assert.Equal("mp3", outputs[0].GetProperty("codec").GetString());
        Assert.Equal("320k", outputs[0].GetProperty("audioBitrate").GetString());
        Assert.Equal("mp3", outputs[0].GetProperty("format").GetString());
        Assert.Equal("h264", outputs[1].GetProperty("codec").GetString());
        Assert.Equal("800k", outputs[1].GetProperty("videoBitrate").GetString());
        Assert.Equal("mp4", outputs[1].GetProperty("format").GetString());
    }

    [Fact]
    public async Task The_workspace_link_goes_through_a_claim_token_and_never_carries_the_token()
    {
        await using var emu = await Emulators.StartAsync();
        _env.Set("NEMO_WEB_URL", "https://web.example");
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        var session = await client.CreateSessionAsync();
        var link = await client.CreateWorkspaceLinkAsync(session);
        var claim = wire.To("/api/auth/claim-token").Single();
        using var body = JsonDocument.Parse(claim.Body!);
        Assert.Equal(session.SessionId, body.RootElement.GetProperty("session_id").GetString());
        Assert.Equal(session.TaskId, body.RootElement.GetProperty("task_id").GetString());
        Assert.StartsWith("https://web.example/workspace/claim?ct=", link.AbsoluteUri);
        Assert.DoesNotContain(client.Tokens.Current!.Value, link.AbsoluteUri);
        Assert.DoesNotContain("token=", link.Query);
    }
}
