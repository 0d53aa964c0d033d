using System.Globalization;
using System.Text.RegularExpressions;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>
/// A video over the service's 500 MB limit compressed through the cloud in parts: split at keyframes here, each part
/// its own cloud job, joined here into one MP4 under the source's audio made once, so the joins are neither heard nor
/// seen; a run killed during the parts pays again only for the parts not yet edited.
/// </summary>
public class InPartsTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    private readonly string _scratch;

    public InPartsTests() => _scratch = Directory.CreateDirectory(_env.PathIn("scratch")).FullName;

    public void Dispose() => _env.Dispose();

    private CloudJob Job(NemoApiClient client, bool ffmpeg = true, int partsAtOnce = 2) =>
        FastJobs.Cloud(client, ffmpeg, _scratch, new PaidWorkJournal(_env.ConfigDirectory), partsAtOnce);

    private static readonly FileSize Target = FileSize.Parse("4MB");

    private CompressRequest Request(string source, string name = "small.mp4") => new(source, _env.PathIn(name), Target, height: 360);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_video_over_the_limit_is_one_MP4_of_the_target_size_with_joins_neither_heard_nor_seen(bool documented)
    {
        var source = await Media.RecordingOverTheLimitAsync(".mov"); // 568 MB, 32 s, a continuous 440 Hz tone
        var sourceSeconds = (await Media.ProbeAsync(source)).Duration;
        await using var emu = await Emulators.StartAsync(o => { o.Documented = documented; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);

        var result = await Job(client).RunAsync(Request(source));

        Assert.Equal(2, emu.Store.AgentMessages); // one edit a part
        Assert.Equal(2, emu.Store.Uploads.Count);
        Assert.All(emu.Store.Uploads, u => Assert.True(u.Bytes <= MediaRules.MaxUploadBytes, $"{u.FileName} is {u.Bytes} bytes"));
        Assert.Equal(2, result.RenderId.Split(", ").Length);
        Assert.False(result.FinishedLocally);
        var file = result.Output;
        Assert.InRange(file.Length, (long)(Target.Bytes * 0.85), Target.Bytes);
        var (video, audio) = await StreamLengthsAsync(file.FullName);
        Assert.InRange(Math.Abs(video - audio), 0, 0.1);
        Assert.InRange(video, sourceSeconds - 0.1, sourceSeconds + 0.1);
        var facts = MediaInspector.Inspect(file.FullName);
        Assert.Equal((MediaContainer.Mp4, "h264", 360), (facts.Container, facts.VideoCodec, facts.Height));
        Assert.Empty(await SilencesAsync(file.FullName)); // the tone runs on through the joins
        Assert.Empty(Directory.GetFileSystemEntries(_scratch)); // the parts go once the output is delivered
        Assert.Empty(new PaidWorkJournal(_env.ConfigDirectory).List());
    }

    [Fact]
    public async Task Killed_during_the_parts_the_rerun_pays_only_for_the_parts_not_yet_edited()
    {
        var source = await Media.RecordingOverTheLimitAsync(".mov");
        await using var emu = await Emulators.StartAsync(o => { o.AnonymousCredits = 10_000; o.MinRenderTime = TimeSpan.FromSeconds(3); });
        using var client = _env.Client(emu);
        using var kill = new CancellationTokenSource();
        // One part at a time: the first is edited and rendering when the run is stopped; the second not yet started.
        var watch = Task.Run(async () =>
        {
            while (emu.Store.RenderCount == 0) await Task.Delay(20);
            kill.Cancel();
        });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Job(client, partsAtOnce: 1).RunAsync(Request(source), null, kill.Token));
        await watch;
        Assert.Equal(1, emu.Store.AgentMessages);
        Assert.False(File.Exists(_env.PathIn("small.mp4")));
        // The split parts (as big as the source) are not left in the temp folder; they are made again, the same, by the rerun.
        Assert.DoesNotContain(Directory.GetFiles(_scratch, "part*.mp4", SearchOption.AllDirectories), f => !f.EndsWith(".made.mp4", StringComparison.Ordinal));

        var result = await Job(client, partsAtOnce: 1).RunAsync(Request(source));

        Assert.Equal(2, emu.Store.AgentMessages); // the first part's edit was not paid again
        Assert.InRange(result.Output.Length, (long)(Target.Bytes * 0.85), Target.Bytes);
        Assert.Empty(new PaidWorkJournal(_env.ConfigDirectory).List());
    }

    [Fact]
    public async Task Without_ffmpeg_a_video_over_the_limit_is_refused_before_anything_is_sent_saying_install_ffmpeg()
    {
        var source = await Media.RecordingOverTheLimitAsync(".mkv");
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<MediaInputException>(() => Job(client, ffmpeg: false).RunAsync(Request(source)));
        Assert.Equal(InputProblem.TooLarge, ex.Problem);
        Assert.Contains("in parts", ex.Message);
        Assert.Contains("Install ffmpeg", ex.Advice);
        Assert.Equal((0, 0), (emu.Store.SessionCount, emu.Store.Uploads.Count));
        Assert.False(File.Exists(_env.PathIn("small.mp4")));
    }

    [Fact]
    public void The_edits_a_source_needs_are_known_before_anything_is_paid()
    {
        var big = _env.PathIn("big.mp4");
        using (var fs = File.Create(big)) fs.SetLength(MediaRules.MaxUploadBytes * 2 + 1); // sparse
        var small = _env.PathIn("small-source.mp4");
        File.WriteAllBytes(small, new byte[1000]);
        Assert.Equal(3, new CompressRequest(big, _env.PathIn("a.mp4"), 2000).EditsNeeded());
        Assert.Equal(1, new CompressRequest(small, _env.PathIn("b.mp4"), 2000).EditsNeeded());
        Assert.Equal(1, new Mp3Request(big, _env.PathIn("c.mp3")).EditsNeeded()); // only its audio goes
        Assert.Equal(4, BatchPlan.EditsToPay(new MediaJobRequest[] { new CompressRequest(big, _env.PathIn("a.mp4"), 2000), new CompressRequest(small, _env.PathIn("b.mp4"), 2000) }));
    }

    /// <summary>The lengths of a file's video and audio streams, from their last packets.</summary>
    private static async Task<(double Video, double Audio)> StreamLengthsAsync(string path)
    {
        async Task<double> Length(string stream)
        {
            var (code, stdout, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-select_streams", stream, "-show_entries", "packet=pts_time,duration_time", "-of", "csv=p=0", path });
            Assert.True(code == 0, err);
            return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(','))
                .Where(p => p.Length >= 2 && p[0] != "N/A").Max(p => double.Parse(p[0], CultureInfo.InvariantCulture) + (double.TryParse(p[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : 0));
        }
        return (await Length("v:0"), await Length("a:0"));
    }

    /// <summary>Every stretch of the audio quieter than −40 dB for 5 ms or more (a tone has none).</summary>
    private static async Task<IReadOnlyList<string>> SilencesAsync(string path)
    {
        var (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-hide_banner", "-nostdin", "-i", path, "-map", "0:a:0", "-af", "silencedetect=noise=-40dB:d=0.005", "-f", "null", "-" });
        Assert.True(code == 0, err);
        return Regex.Matches(err, @"silence_start: [-0-9.]+").Select(m => m.Value).ToList();
    }
}
