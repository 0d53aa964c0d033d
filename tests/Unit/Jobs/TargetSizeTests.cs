using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// Compress to a file size (issue 17) on real files of different lengths, bitrates and heights, with and without audio:
/// every result measures 85–100 % of the target on the local engine, the cloud and its documented mode, and plays as
/// the codec asked with the source's length; a size no video fits is refused with nothing uploaded, paid or written.
/// </summary>
public class TargetSizeTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>Noisy video (so the encoder has something to spend bits on), of a given length and height, with or without an AAC tone.</summary>
    private static Task<string> SourceAsync(string extension, double seconds, int height, bool audio) =>
        Media.MadeAsync($"size-{seconds}-{height}-{(audio ? "a" : "n")}{extension}", path =>
        {
            var width = height * 16 / 9 / 2 * 2;
            var args = new List<string> { "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=25,noise=alls=12:allf=t" };
            if (audio) args.AddRange(new[] { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100" });
            args.AddRange(new[] { "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-crf", "18" });
            args.AddRange(audio ? new[] { "-c:a", "aac", "-b:a", "128k" } : new[] { "-an" });
            args.Add(path);
            return args;
        });

    private static async Task<string> CodecTagAsync(string path)
    {
        var (_, stdout, _) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=codec_tag_string", "-of", "csv=p=0", path });
        return stdout.Trim();
    }

    /// <summary>In the window, of the codec asked (hvc1 for H.265), the source's length, and a result that says so.</summary>
    private static async Task AssertSizedAsync(CompressResult result, FileSize target, VideoCodec codec, double seconds)
    {
        var length = result.Output.Length;
        Assert.InRange(length, (long)(target.Bytes * 0.85), target.Bytes);
        var probe = await Media.ProbeAsync(result.Output.FullName);
        Assert.Equal(codec == VideoCodec.H265 ? "hevc" : "h264", probe.Video.Codec);
        if (codec == VideoCodec.H265) Assert.Equal("hvc1", await CodecTagAsync(result.Output.FullName));
        Assert.InRange(probe.Duration, seconds - 0.25, seconds + 0.25);
        Assert.Equal(target.Bytes, result.TargetSize);
        Assert.Equal(probe.Video.Codec, result.VideoCodec);
        Assert.Equal(MediaInspector.Inspect(result.Output.FullName).VideoBitrateKbps, result.BitrateKbps);
    }

    [Theory]
    [InlineData(".mp4", 4, 360, true, "400KB", VideoCodec.H264)]
    [InlineData(".mkv", 6, 480, true, "1 MB", VideoCodec.H264)]   // audio re-encoded: Matroska gives no per-track bitrate
    [InlineData(".mp4", 8, 480, false, "700KB", VideoCodec.H264)] // no audio: the whole size goes to the video
    [InlineData(".mp4", 5, 360, true, "300KB", VideoCodec.H265)]
    public async Task The_local_engine_lands_within_85_to_100_percent_of_the_target(string extension, double seconds, int height, bool audio, string size, VideoCodec codec)
    {
        var source = await SourceAsync(extension, seconds, height, audio);
        var target = FileSize.Parse(size);
        var progress = new List<JobProgress>();
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(
            new CompressRequest(source, _env.PathIn("out.mp4"), target) { Codec = codec }, new SyncProgress<JobProgress>(progress.Add));
        await AssertSizedAsync(result, target, codec, seconds);
        Assert.Empty(result.Warnings);
        Assert.Contains(progress, p => p.Status.Contains("pass 2 of 2")); // two passes
        Assert.Single(Directory.GetFiles(_env.WorkDirectory)); // no temporary file or pass log left
    }

    [Fact]
    public async Task A_size_no_video_fits_is_refused_before_any_encode_with_the_smallest_that_works()
    {
        var source = await SourceAsync(".mp4", 4, 360, audio: true);
        var job = new LocalJob(FfmpegTools.Locate());
        var audioAlone = await Assert.ThrowsAsync<TargetSizeException>(() => job.RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), FileSize.Parse("40KB"))));
        Assert.Equal(SizeProblem.TooSmall, audioAlone.Problem);
        Assert.Contains("audio alone", audioAlone.Message);
        Assert.Contains("-Resolution 240p", audioAlone.Message);
        Assert.Equal(240, audioAlone.SmallestHeight);
        Assert.True(audioAlone.Smallest!.Value.Bytes > 40 * 1024);

        // The smallest size said is one that works.
        var result = await job.RunAsync(new CompressRequest(source, _env.PathIn("smallest.mp4"), audioAlone.Smallest!.Value, 240));
        Assert.InRange(result.Output.Length, (long)(audioAlone.Smallest!.Value.Bytes * 0.85), audioAlone.Smallest!.Value.Bytes);

        var atHeight = await Assert.ThrowsAsync<TargetSizeException>(() => job.RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), FileSize.Parse("140KB"), 360)));
        Assert.Contains("too little to watch at 360p", atHeight.Message);
        Assert.Contains("at 360p it is", atHeight.Message);
        Assert.False(File.Exists(_env.PathIn("out.mp4")));
        Assert.Single(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task A_size_that_needs_a_lower_resolution_with_none_asked_is_made_lower_and_said_in_a_warning()
    {
        var source = await SourceAsync(".mp4", 4, 720, audio: false);
        var target = FileSize.Parse("180KB"); // about 320 kbps: too little for 720p or 540p, enough for 480p
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target));
        await AssertSizedAsync(result, target, VideoCodec.H264, 4);
        Assert.Equal(480, (await Media.ProbeAsync(result.Output.FullName)).Video.Height);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("720p", warning);
        Assert.Contains("480p", warning);
        Assert.Contains("-Resolution", warning);
    }

    [Theory]
    [InlineData(VideoCodec.H264, false)]
    [InlineData(VideoCodec.H265, false)]
    [InlineData(VideoCodec.H264, true)]
    public async Task The_cloud_render_is_asked_for_the_bitrate_and_codec_and_lands_in_the_window(VideoCodec codec, bool documented)
    {
        await using var emu = await Emulators.StartAsync(o => { o.Documented = documented; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);
        var source = await SourceAsync(".mp4", 5, 360, audio: true);
        var target = FileSize.Parse("500KB");
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target) { Codec = codec });
        await AssertSizedAsync(result, target, codec, 5);
        Assert.False(result.FinishedLocally); // the render itself met the size: nothing finished here
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public async Task The_documented_service_ignores_codec_h265_so_its_H264_render_is_finished_here_once()
    {
        await using var emu = await Emulators.StartAsync(o => { o.Documented = true; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);
        var source = await SourceAsync(".mp4", 5, 360, audio: true);
        var target = FileSize.Parse("400KB");
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target) { Codec = VideoCodec.H265 });
        await AssertSizedAsync(result, target, VideoCodec.H265, 5);
        Assert.True(result.FinishedLocally);
        var warning = Assert.Single(result.Warnings);
        Assert.Contains("not H.265", warning);
        Assert.Contains(result.RenderId, warning);
    }

    [Fact]
    public async Task An_over_target_render_is_finished_here_with_ffmpeg_or_without_it_is_an_error_naming_the_render()
    {
        // The renderer ignores the bitrate asked (crf 23 of a noisy source): far over a small target.
        var source = await SourceAsync(".mp4", 4, 360, audio: true);
        var target = FileSize.Parse("250KB");
        await using (var emu = await Emulators.StartAsync(o => { o.Documented = true; o.RendersOnlyMp4 = true; o.AnonymousCredits = 10_000; }))
        {
            using var client = _env.Client(emu);
            var ex = await Assert.ThrowsAsync<NemoApiException>(() => FastJobs.Cloud(client, ffmpeg: false).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target)));
            Assert.Equal(NemoErrorKind.WrongOutput, ex.Kind);
            Assert.Contains("over the 250 KB asked", ex.Message);
            Assert.Matches("render_[0-9]+_[0-9a-f]+", ex.Message);
            Assert.Empty(Directory.GetFiles(_env.WorkDirectory)); // nothing at the path, no partial file

            var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target));
            await AssertSizedAsync(result, target, VideoCodec.H264, 4);
            Assert.True(result.FinishedLocally);
            Assert.Contains("over the 250 KB asked", Assert.Single(result.Warnings));
        }
    }

    [Fact]
    public async Task An_impossible_target_in_the_cloud_uploads_nothing_pays_nothing_and_writes_nothing()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync(".mkv", 6, 480, audio: true); // Matroska: its length from ffprobe, before the upload
        var ex = await Assert.ThrowsAsync<TargetSizeException>(() => FastJobs.Cloud(client, ffmpeg: true).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), FileSize.Parse("50KB"))));
        Assert.Equal(SizeProblem.TooSmall, ex.Problem);
        Assert.DoesNotContain(emu.Store.RequestLog, r => r.Path.StartsWith("/api/upload-video/") || r.Path == "/run_sse" || r.Path.StartsWith("/api/render/"));
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task Without_ffprobe_a_Matroska_source_is_sized_by_the_length_the_service_measured()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync(".mkv", 8, 360, audio: true); // no length from the managed inspector yet, and no ffmpeg: the upload's
        var target = FileSize.Parse("450KB");
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new CompressRequest(source, _env.PathIn("out.mp4"), target));
        await AssertSizedAsync(result, target, VideoCodec.H264, 8);
        Assert.False(result.FinishedLocally);
    }
}
