using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Jobs;

/// <summary>Whole jobs through the cloud path, with the results checked by ffprobe.</summary>
public class CloudJobTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static CloudJob Job(NemoApiClient client) => FastJobs.Cloud(client);

    [Theory]
    [InlineData(".mkv", 320, SseShape.Simple)]
    [InlineData(".mov", 128, SseShape.Adk)]
    public async Task Extracts_an_MP3_at_the_bitrate_asked_for(string container, int kbps, SseShape shape)
    {
        await using var emu = await Emulators.StartAsync(o => { o.SseShape = shape; o.SilentReplyRate = 0.5; });
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(container, seconds: 5);
        var stages = new List<JobStage>();
        var result = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("talk.mp3"), kbps), new SyncProgress<JobProgress>(p => stages.Add(p.Stage)));

        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("mp3", probe.Audio.Codec);
        Assert.InRange(probe.Audio.BitRate!.Value, kbps * 1000 * 0.95, kbps * 1000 * 1.05);
        Assert.InRange(probe.Duration, 5 - 0.2, 5 + 0.2);
        Assert.DoesNotContain(probe.Streams, s => s.Type == "video");
        Assert.Equal(kbps, result.BitrateKbps);
        Assert.Equal(5.0, result.SourceDuration!.Value.TotalSeconds, 1); // as the service measured the source
        Assert.InRange(result.Duration!.Value.TotalSeconds, 4.9, 5.2); // measured from the MP3 (the encoder pads a frame or two)
        Assert.Matches("^[0-9]+$", result.SessionId);
        Assert.Equal(new[] { JobStage.Starting, JobStage.Uploading, JobStage.AgentWorking, JobStage.CheckingState, JobStage.Rendering, JobStage.Downloading, JobStage.Completed },
            stages.Distinct());
    }

    [Fact]
    public async Task Picks_the_audio_track_asked_for()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mkv", seconds: 3, audioTracks: 2);
        var result = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("second.mp3"), 96, audioTrack: 2));
        Assert.Equal("mp3", (await Media.ProbeAsync(result.Output.FullName)).Audio.Codec);
        Assert.Equal(1, NemoVideo.Media.MediaInspector.Inspect(result.Output.FullName).Channels); // track 2 is the mono one
        var first = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("first.mp3"), 96, audioTrack: 1));
        Assert.Equal(2, NemoVideo.Media.MediaInspector.Inspect(first.Output.FullName).Channels);
        var uploads = emu.Store.RequestLog.Count(r => r.Path.StartsWith("/api/upload-video/"));
        // Refused before the upload and the paid edit, in the local engine's words, since ffprobe is here.
        var missing = await Assert.ThrowsAsync<MediaInputException>(() => Job(client).RunAsync(new Mp3Request(source, _env.PathIn("third.mp3"), 96, audioTrack: 3)));
        Assert.Equal(InputProblem.NoSuchTrack, missing.Problem);
        Assert.Equal(2, missing.TrackCount);
        Assert.Equal(uploads, emu.Store.RequestLog.Count(r => r.Path.StartsWith("/api/upload-video/")));
        Assert.Equal(2, emu.Store.AgentMessages); // track 2, track 1; not the refused track 3
    }

    [Fact]
    public async Task A_video_without_audio_is_refused_before_the_upload_without_starting_a_process()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var silent = await Media.SilentClipAsync();
        var job = new CloudJob(client, FastJobs.Schedule) { LocateFfmpeg = () => throw new InvalidOperationException("no ffprobe for a plain request") };
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => job.RunAsync(new Mp3Request(silent, _env.PathIn("silent.mp3"), 128)));
        Assert.Equal(InputProblem.NoSuchTrack, ex.Problem);
        Assert.Equal(0, ex.TrackCount);
        Assert.Empty(emu.Store.RequestLog);
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task The_cloud_takes_the_same_VBR_and_language_requests_as_the_local_engine()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var source = await Media.TwoLanguageClipAsync();
        var result = await Job(client).RunAsync(new Mp3Request(source, _env.PathIn("ger.mp3"), Mp3Encoding.Variable(4)) { AudioLanguage = "ger" });
        Assert.Null(result.RequestedBitrateKbps); // VBR: no rate was asked for
        Assert.True(result.IsVbr, "measured from the file: variable bitrate");
        Assert.InRange(result.BitrateKbps!.Value, 20, 260); // the measured average of a sine tone
        Assert.InRange((await Media.ProbeAsync(result.Output.FullName)).Duration, 1.8, 2.2); // the 2-second German track
        Assert.Contains("Xing", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(result.Output.FullName).Take(8192).ToArray()));
    }

    [Fact]
    public async Task Compresses_to_the_video_bitrate_and_resolution_asked_for()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync(".mp4", seconds: 5, height: 720);
        var result = await Job(client).RunAsync(new CompressRequest(source, _env.PathIn("small.mp4"), videoBitrateKbps: 800, height: 480));
        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal("h264", probe.Video.Codec);
        Assert.Equal(480, probe.Video.Height);
        Assert.InRange(probe.Video.BitRate!.Value, 800_000 * 0.95, 800_000 * 1.05);
        Assert.InRange(probe.Duration, 5 - 0.2, 5 + 0.2);
        Assert.Equal("aac", probe.Audio.Codec);
    }

    [Fact]
    public async Task A_lost_session_is_replaced_once_and_the_file_still_converts()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", Status = 404, Code = 1002 });
        var result = await Job(client).RunAsync(new Mp3Request(await Media.ClipAsync(), _env.PathIn("a.mp3"), 128));
        Assert.True(result.Output.Exists);
        Assert.Equal(2, emu.Store.SessionCount);
    }

    [Fact]
    public async Task Refuses_an_existing_output_or_a_missing_folder_before_any_request()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var source = await Media.ClipAsync();
        File.WriteAllText(_env.PathIn("exists.mp3"), "keep me");
        await Assert.ThrowsAsync<OutputExistsException>(() => Job(client).RunAsync(new Mp3Request(source, _env.PathIn("exists.mp3"))));
        await Assert.ThrowsAsync<DirectoryNotFoundException>(() => Job(client).RunAsync(new Mp3Request(source, Path.Combine(_env.WorkDirectory, "nope", "a.mp3"))));
        var notMedia = _env.PathIn("slides.pdf");
        File.WriteAllText(notMedia, "x");
        Assert.Equal(InputProblem.UnsupportedType, (await Assert.ThrowsAsync<MediaInputException>(() => Job(client).RunAsync(new Mp3Request(notMedia, _env.PathIn("o.mp3"))))).Problem);
        var fakeSong = _env.PathIn("song.mp3"); // an MP3 source now: its bytes are what is wrong
        File.WriteAllText(fakeSong, "x");
        Assert.Equal(InputProblem.NotMedia, (await Assert.ThrowsAsync<MediaInputException>(() => Job(client).RunAsync(new Mp3Request(fakeSong, _env.PathIn("o.mp3"))))).Problem);
        Assert.Empty(emu.Store.RequestLog);
        Assert.Equal("keep me", File.ReadAllText(_env.PathIn("exists.mp3")));
    }

    [Fact]
    public async Task Cancelling_during_the_render_cancels_it_on_the_server_and_leaves_no_output()
    {
        await using var emu = await Emulators.StartAsync(o => o.MinRenderTime = TimeSpan.FromMinutes(5));
        using var client = _env.Client(emu);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<JobProgress>(p => { if (p.Stage == JobStage.Rendering && p.Percent > 5) cts.Cancel(); });
        var clip = await Media.ClipAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Job(client).RunAsync(new Mp3Request(clip, _env.PathIn("c.mp3")), progress, cts.Token));
        Assert.Equal(1, emu.Store.RenderCancels);
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Theory]
    [InlineData(31)]
    [InlineData(321)]
    public void Refuses_an_MP3_bitrate_out_of_range(int kbps) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Mp3Request("a.mp4", "a.mp3", kbps));

    [Fact]
    public void Instructions_read_the_way_the_agent_understands_them()
    {
        Assert.Equal("Extract the audio as MP3 at 320 kbps (track 2).", new Mp3Request("a.mkv", "a.mp3", 320, 2).Instruction);
        Assert.Equal("Compress the video to 8 Mbps at 1080p.", new CompressRequest("a.mov", "b.mp4", 8000, 1080).Instruction);
        Assert.Equal("Compress the video to 2.5 Mbps.", new CompressRequest("a.mov", "b.mp4", 2500).Instruction);
        Assert.Equal("Compress the video to 800 kbps.", new CompressRequest("a.mov", "b.mp4", 800).Instruction);
    }
}
