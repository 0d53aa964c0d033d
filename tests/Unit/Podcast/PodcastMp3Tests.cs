using System.Globalization;
using System.Text.Json;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Podcast;

/// <summary>
/// Podcast-ready MP3s on both engines, checked from the file with ffmpeg and ffprobe (never from the request): loudness
/// within ±0.5 LU with the true peak under its ceiling, the source's chapters with their titles, its tags and its cover.
/// </summary>
public class PodcastMp3Tests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>What ffprobe reads of an MP3: tags, chapters (start, end, title), the cover stream, the audio's bitrate.</summary>
    private static async Task<(Dictionary<string, string> Tags, List<(double Start, double End, string Title)> Chapters, (string Codec, int Width, int Height)? Cover, long Bitrate)> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path });
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(json).RootElement;
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.GetProperty("format").TryGetProperty("tags", out var t)) foreach (var p in t.EnumerateObject()) tags[p.Name] = p.Value.GetString()!;
        var chapters = root.GetProperty("chapters").EnumerateArray().Select(c => (
            double.Parse(c.GetProperty("start_time").GetString()!, CultureInfo.InvariantCulture),
            double.Parse(c.GetProperty("end_time").GetString()!, CultureInfo.InvariantCulture),
            c.TryGetProperty("tags", out var ct) && ct.TryGetProperty("title", out var title) ? title.GetString()! : "")).ToList();
        var streams = root.GetProperty("streams").EnumerateArray().ToList();
        var audio = streams.Single(s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("mp3", audio.GetProperty("codec_name").GetString());
        var pic = streams.Where(s => s.GetProperty("codec_type").GetString() == "video").Select(s => ((string, int, int)?)(s.GetProperty("codec_name").GetString()!, s.GetProperty("width").GetInt32(), s.GetProperty("height").GetInt32())).FirstOrDefault();
        return (tags, chapters, pic, long.Parse(audio.GetProperty("bit_rate").GetString()!, CultureInfo.InvariantCulture));
    }

    /// <summary>A podcast source copied into this test's folder as <paramref name="name"/> (its extension picks the container).</summary>
    private async Task<string> SourceAsync(string name, bool loud = false)
    {
        var path = _env.PathIn(name);
        File.Copy(await Media.PodcastSourceAsync(Path.GetExtension(name), loud), path);
        return path;
    }

    private static async Task AssertPodcastReadyAsync(Mp3Result result, double lufs, double truePeak, int kbps)
    {
        var path = result.Output.FullName;
        var (measured, peak) = await Media.LoudnessAsync(path);
        Assert.InRange(measured, lufs - 0.5, lufs + 0.5);
        Assert.True(peak <= truePeak + 0.05, $"true peak {peak} dBTP over the {truePeak} asked");
        // The result reports what the file measures, not what was asked.
        Assert.InRange(result.Loudness!.Value, measured - 0.15, measured + 0.15);
        Assert.InRange(result.TruePeak!.Value, peak - 0.15, peak + 0.15);

        var (tags, chapters, cover, bitrate) = await ProbeAsync(path);
        Assert.InRange(bitrate, kbps * 980, kbps * 1020);
        Assert.Equal("Episode 42: Loudness", tags["title"]);
        Assert.Equal("The Nemo Cast", tags["artist"]);
        Assert.Equal(Media.PodcastChapters.Select(c => c.Title), chapters.Select(c => c.Title));
        Assert.Equal(Media.PodcastChapters.Select(c => c.Start), chapters.Select(c => Math.Round(c.Start, 2)));
        Assert.Equal(Media.PodcastChapters.Take(2).Select(c => c.End), chapters.Take(2).Select(c => Math.Round(c.End, 2)));
        Assert.Equal(("mjpeg", 300, 300), cover!.Value);

        // The module's own reading of the file says the same.
        var facts = MediaInspector.Inspect(path);
        Assert.Equal("ID3v2.3", facts.TagFormat);
        Assert.Equal("Episode 42: Loudness", facts.Tags["title"]);
        Assert.Equal(Media.PodcastChapters.Select(c => c.Title), facts.Chapters.Select(c => c.Title));
        Assert.Equal((300, 300), (facts.Cover!.Width, facts.Cover.Height));
        Assert.Equal(facts.Chapters.Count, result.Facts!.Chapters.Count);
    }

    [Theory]
    [InlineData(".mkv", false)] // quiet with loud clicks: needs limiting
    [InlineData(".mp4", true)]  // loud: a plain gain down
    public async Task The_local_engine_makes_a_podcast_ready_MP3_measured_from_the_file(string container, bool loud)
    {
        var source = await Media.PodcastSourceAsync(container, loud);
        var before = await Media.LoudnessAsync(source);
        Assert.True(loud ? before.Integrated > -12 : before.Integrated < -28, $"the fixture measures {before.Integrated} LUFS");
        var progress = new List<JobProgress>();
        var request = new Mp3Request(source, _env.PathIn("episode.mp3"), 128) { Loudness = new LoudnessTarget(-16, -1) };
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(request, new SyncProgress<JobProgress>(progress.Add));
        await AssertPodcastReadyAsync(result, -16, -1, 128);
        Assert.Contains(progress, p => p.Status.StartsWith("Measuring the loudness", StringComparison.Ordinal));
        Assert.Equal(new[] { "episode.mp3" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName)); // nothing temporary left
    }

    [Fact]
    public async Task EBU_R128_broadcast_level_and_a_lower_ceiling_are_met_too()
    {
        var source = await Media.PodcastSourceAsync(".mkv", loud: true);
        var request = new Mp3Request(source, _env.PathIn("broadcast.mp3"), 192) { Loudness = new LoudnessTarget(-23, -2) };
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(request);
        await AssertPodcastReadyAsync(result, -23, -2, 192);
    }

    [Fact]
    public async Task The_requests_tags_chapters_and_cover_replace_the_sources()
    {
        var source = await Media.PodcastSourceAsync(".mkv");
        var png = await Media.PictureAsync(".png", 200);
        var request = new Mp3Request(source, _env.PathIn("custom.mp3"), 128)
        {
            Tags = new Dictionary<string, string?> { ["title"] = "Bonus — 日本語", ["album"] = "Season 3", ["comment"] = null },
            Chapters = new[] { new MediaChapter(TimeSpan.Zero, null, "Cold open"), new MediaChapter(TimeSpan.FromSeconds(6), null, "Q&A") },
            Cover = CoverPicture.Load(png),
        };
        var result = await new LocalJob(FfmpegTools.Locate()).RunAsync(request);
        var (tags, chapters, cover, _) = await ProbeAsync(result.Output.FullName);
        Assert.Equal("Bonus — 日本語", tags["title"]);
        Assert.Equal("Season 3", tags["album"]);
        Assert.Equal("The Nemo Cast", tags["artist"]); // the source's, kept
        Assert.False(tags.ContainsKey("comment"));
        Assert.Equal(new[] { "Cold open", "Q&A" }, chapters.Select(c => c.Title));
        Assert.Equal(6.0, Math.Round(chapters[0].End, 2)); // ends where the next starts
        Assert.InRange(chapters[1].End, 11.8, 12.3);      // the last at the end of the audio
        Assert.Equal(("png", 200, 200), cover!.Value);
        Assert.Null(result.Loudness); // not asked, not measured
    }

    [Theory]
    [InlineData("call.mkv", true, false)] // the service's one-pass normalising meets -16 on the loud source: kept, tagged here
    [InlineData("call.mp4", false, true)] // on the quiet one with clicks its limiter stops short: made here, said once
    public async Task The_cloud_engine_gives_the_same_file_tags_written_here_and_loudness_measured_on_the_render(string name, bool loud, bool finishedHere)
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync(name, loud);
        var request = new Mp3Request(source, _env.PathIn("call.mp3"), 128) { Loudness = new LoudnessTarget(-16, -1) };
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(request);
        await AssertPodcastReadyAsync(result, -16, -1, 128);
        Assert.Equal(finishedHere, result.FinishedLocally);
        Assert.Equal(finishedHere ? 1 : 0, result.Warnings.Count(w => w.Contains("misses the loudness", StringComparison.Ordinal)));
        Assert.Equal(new[] { name, "call.mp3" }.Order(), Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task Without_a_loudness_target_the_cloud_MP3_is_tagged_here_without_ffmpeg_and_its_audio_left_as_rendered()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync("call.mp4");
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn("call.mp3"), 128));
        Assert.False(result.FinishedLocally);
        var (tags, chapters, cover, bitrate) = await ProbeAsync(result.Output.FullName);
        Assert.Equal("Episode 42: Loudness", tags["title"]);
        Assert.Equal(Media.PodcastChapters.Select(c => c.Title), chapters.Select(c => c.Title));
        Assert.Equal(("mjpeg", 300, 300), cover!.Value);
        Assert.InRange(bitrate, 128 * 980, 128 * 1020);
        // The audio is the service's, byte for byte: only the tag at the head changed.
        var render = Path.Combine(emu.DataDirectory, "renders", result.RenderId + ".mp3");
        Assert.Equal(AfterTag(File.ReadAllBytes(render)), AfterTag(File.ReadAllBytes(result.Output.FullName)));
    }

    /// <summary>An MP3's bytes after its ID3v2 tag (and the tag's footer, when flagged).</summary>
    private static byte[] AfterTag(byte[] b)
    {
        if (b.Length < 10 || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return b;
        var size = (b[6] & 0x7F) << 21 | (b[7] & 0x7F) << 14 | (b[8] & 0x7F) << 7 | (b[9] & 0x7F);
        return b[(10 + size + ((b[5] & 0x10) != 0 ? 10 : 0))..];
    }

    [Theory]
    [InlineData("quiet.mkv", false)]
    [InlineData("loud.mp4", true)]
    public async Task The_documented_service_ignores_loudness_so_the_MP3_is_finished_here_and_said_once(string name, bool loud)
    {
        await using var emu = await Emulators.StartAsync(o => { o.Documented = true; o.RendersOnlyMp4 = true; o.AnonymousCredits = 10_000; });
        using var client = _env.Client(emu);
        var source = await SourceAsync(name, loud);
        var result = await FastJobs.Cloud(client, ffmpeg: true).RunAsync(new Mp3Request(source, Path.ChangeExtension(source, ".mp3"), 128) { Loudness = new LoudnessTarget(-16) });
        Assert.True(result.FinishedLocally);
        Assert.Single(result.Warnings, w => w.Contains(result.RenderId, StringComparison.Ordinal));
        await AssertPodcastReadyAsync(result, -16, -1, 128);
    }

    [Fact]
    public async Task A_loudness_target_without_ffmpeg_is_refused_before_anything_is_uploaded()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync("call.mkv");
        var ex = await Assert.ThrowsAsync<LocalEngineException>(() => FastJobs.Cloud(client, ffmpeg: false).RunAsync(new Mp3Request(source, _env.PathIn("call.mp3"), 128) { Loudness = new LoudnessTarget(-16) }));
        Assert.Equal(LocalErrorKind.ToolMissing, ex.Kind);
        Assert.Contains("nothing was uploaded", ex.Message);
        Assert.Empty(emu.Store.RequestLog); // not even a session
        Assert.Equal(new[] { "call.mkv" }, Directory.GetFiles(_env.WorkDirectory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Removing_a_tag_on_the_cloud_engine_leaves_it_out_though_the_source_has_it()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        using var client = _env.Client(emu);
        var source = await SourceAsync("call.mkv");
        var request = new Mp3Request(source, _env.PathIn("call.mp3"), 128) { Tags = new Dictionary<string, string?> { ["title"] = "", ["album"] = "Kept" } };
        var result = await FastJobs.Cloud(client, ffmpeg: false).RunAsync(request);
        var (tags, chapters, _, _) = await ProbeAsync(result.Output.FullName);
        Assert.False(tags.ContainsKey("title"));
        Assert.Equal(("The Nemo Cast", "Kept"), (tags["artist"], tags["album"]));
        Assert.Equal(3, chapters.Count);
    }
}
