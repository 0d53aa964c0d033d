using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// The main job against the emulator answering as NemoVideo's public record shows (--documented): the sample token
/// answer, MP4 renders unless asked in the renderer's vocabulary, FastAPI's 404, trailing errors, 402 for anonymous
/// tokens. Whatever comes back, an .mp3 path only ever holds an MP3.
/// </summary>
public class DocumentedServiceTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static Task<EmulatorServer> Documented(Action<EmulatorOptions>? more = null) =>
        Emulators.StartAsync(o => { o.Documented = true; o.AnonymousCredits = 10_000; more?.Invoke(o); });

    private async Task<string> SourceAsync(string name = "talk.mkv", double seconds = 3)
    {
        var path = _env.PathIn(name);
        File.Copy(await Media.ClipAsync(".mkv", seconds), path, overwrite: true);
        return path;
    }

    [Fact]
    public async Task Asked_in_the_renderers_vocabulary_the_documented_service_renders_a_real_MP3_at_the_asked_bitrate()
    {
        await using var emu = await Documented();
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("talk.mp3"), 320));
        var facts = MediaInspector.Inspect(result.Output.FullName);
        Assert.Equal(MediaContainer.Mp3, facts.Container);
        Assert.Equal(320, facts.AudioBitrateKbps);
        Assert.Equal(320, result.BitrateKbps);
        Assert.Equal(320, result.RequestedBitrateKbps);
        Assert.False(result.FinishedLocally);
        Assert.Empty(result.Warnings);
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
    }

    [Fact]
    public async Task An_MP4_for_an_MP3_is_finished_here_with_ffmpeg_at_the_asked_bitrate_and_said_once()
    {
        await using var emu = await Documented(o => o.RendersOnlyMp4 = true);
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("talk.mp3"), 320));

        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("mp3", probe.Audio.Codec);
        Assert.DoesNotContain(probe.Streams, s => s.Type == "video");
        Assert.InRange(probe.Audio.BitRate!.Value, 320_000 * 0.98, 320_000 * 1.02);
        Assert.True(result.FinishedLocally);
        Assert.Equal(320, result.BitrateKbps);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("an MP4 audio file", warning); // only the audio was sent: the service's MP4 holds that alone
        Assert.Contains(result.RenderId, warning);
        Assert.Equal(new[] { "talk.mkv", "talk.mp3" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Without_ffmpeg_an_MP4_for_an_MP3_is_an_error_naming_the_render_and_nothing_is_written()
    {
        await using var emu = await Documented(o => o.RendersOnlyMp4 = true);
        using var client = _env.Client(emu);
        var source = await SourceAsync();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn("talk.mp3"), 320)));
        Assert.Equal(NemoErrorKind.WrongOutput, ex.Kind);
        Assert.Contains("an MP4 audio file", ex.Message);
        Assert.Matches("render_[0-9]+_[0-9a-f]+", ex.Message);
        Assert.Contains("/cdn/renders/", ex.Message); // where what was paid for can still be fetched
        Assert.Contains("local engine", ex.Advice); // the PowerShell layer says -Engine Local
        Assert.Contains("ffmpeg", ex.Advice);
        Assert.Equal(new[] { "talk.mkv" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName)); // no .mp3, no partial file
    }

    [Fact]
    public async Task A_video_far_from_the_asked_height_is_compressed_here_instead()
    {
        await using var emu = await Documented(o => o.RendersOnlyMp4 = true);
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new CompressRequest(await SourceAsync(), _env.PathIn("talk.mp4"), 300, height: 240));
        var facts = MediaInspector.Inspect(result.Output.FullName);
        Assert.Equal(240, facts.Height);
        Assert.Equal("h264", facts.VideoCodec);
        Assert.True(result.FinishedLocally);
        Assert.Contains("not 240p", Assert.Single(result.Warnings));
        Assert.Equal(facts.VideoBitrateKbps, result.BitrateKbps);
    }

    [Fact]
    public async Task One_anonymous_token_serves_a_batch_although_its_expires_at_is_already_past()
    {
        await using var emu = await Documented();
        using var client = _env.Client(emu);
        var source = await SourceAsync(seconds: 2);
        for (var i = 0; i < 3; i++) await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn($"t{i}.mp3"), 128));
        Assert.Equal(DateTimeOffset.Parse("2026-03-18T00:00:00Z"), client.Tokens.Current!.ExpiresAt);
        Assert.Equal(1, emu.Store.RequestLog.Count(r => r.Path == "/api/auth/anonymous-token"));
    }

    [Fact]
    public async Task A_session_lost_the_ADK_way_is_replaced_once_and_the_file_converts()
    {
        await using var emu = await Documented(o => o.LoseSessionsOnAgent = 1);
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("talk.mp3"), 192));
        Assert.Equal(1, emu.Store.SessionsLost);
        Assert.Contains(emu.Store.RequestLog, r => r.Path == "/run_sse" && r.Status == 404);
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
    }

    [Fact]
    public async Task A_trailing_error_after_a_good_edit_is_judged_by_the_state_and_the_file_converts()
    {
        await using var emu = await Documented(o => o.TrailingAgentError = true);
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("talk.mp3"), 192));
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
        Assert.Equal(1, emu.Store.AgentMessages);
    }

    [Fact]
    public async Task A_stream_dropped_after_the_edit_is_followed_up_by_reading_the_state_and_the_message_is_sent_once()
    {
        await using var emu = await Documented(o => o.SilentReplyRate = 1);
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", DropResponseAfterBytes = 700 }); // past the tool call, before the stream ends
        using var client = _env.Client(emu);
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(await SourceAsync(), _env.PathIn("talk.mp3"), 192));
        Assert.Equal(1, emu.Faults.Fired);
        Assert.Equal(1, emu.Store.AgentMessages); // a second message would be charged twice
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
    }

    [Fact]
    public async Task An_anonymous_token_refused_export_stops_the_batch_and_a_registered_token_exports()
    {
        await using var emu = await Documented(o => o.AnonymousCannotRender = true);
        using var anonymous = _env.Client(emu);
        var observer = new NemoVideo.Tests.Reliability.FaultToleranceTests.Recorder();
        var sources = new List<MediaJobRequest>();
        for (var i = 0; i < 3; i++) sources.Add(new Mp3Request(await SourceAsync($"in{i}.mkv", 2), _env.PathIn($"in{i}.mp3"), 128));
        await new BatchRunner(FastJobs.Cloud(anonymous, ffmpeg: false).RunAsync, throttle: 1).RunAsync(sources, observer, CancellationToken.None);
        Assert.Equal(NemoErrorKind.PlanRequired, observer.StopCause!.Kind);
        Assert.Equal(new[] { 0, 1, 2 }, observer.Skipped);
        Assert.Equal(1, emu.Store.AgentMessages); // the others were not started: each would pay for an edit it could not export

        emu.Store.AddAccount("nmv_usr_registered", "user_1", 1000);
        using var registered = _env.Client(emu, token: new NemoVideo.Auth.NemoToken("nmv_usr_registered"));
        var result = await FastJobs.Cloud(registered, ffmpeg: false).RunAsync(sources[0]);
        Assert.Equal(MediaContainer.Mp3, MediaInspector.Inspect(result.Output.FullName).Container);
    }

    [Fact]
    public async Task A_second_anonymous_token_for_the_same_client_within_a_week_is_a_429_that_says_when()
    {
        await using var emu = await Documented();
        using (var first = _env.Client(emu)) await first.GetCreditsAsync();
        File.Delete(new NemoVideo.Auth.TokenCache(_env.ConfigDirectory).FilePath); // the cache is lost, the client id stays
        using var second = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => second.GetCreditsAsync());
        Assert.Equal(NemoErrorKind.TokenRateLimited, ex.Kind);
        Assert.Contains("in 7 days", ex.Message.Replace("in 168 hours", "in 7 days"));
        Assert.Contains("NEMO_TOKEN", ex.Advice);
    }
}
