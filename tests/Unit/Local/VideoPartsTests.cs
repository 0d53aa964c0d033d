using System.Globalization;
using System.Text.Json;
using NemoVideo.Local;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Local;

/// <summary>
/// A source cut at keyframes into parts under a limit without re-encoding, each part re-encoded as the cloud would
/// (libx264 or libx265, its own AAC), and the parts' video joined under the source's audio: real ffmpeg, small clips.
/// </summary>
public class VideoPartsTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static readonly FfmpegTools Tools = FfmpegTools.Locate();

    /// <summary>About 2.4 MB: limits under a megabyte give 3–4 parts, one keyframe interval (2 s) is about 200 KB.</summary>
    private const long Limit = 900_000;

    /// <summary>24 s of 640x360 at 25 fps, a keyframe every 2 s, B-frames (veryfast), and a continuous 1 kHz tone in AAC.</summary>
    private static Task<string> SourceAsync() => Media.MadeAsync("parts-source-h264-v1.mp4", path => new List<string>
    {
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100",
        "-t", "24", "-c:v", "libx264", "-preset", "veryfast", "-g", "50", "-c:a", "aac", "-b:a", "128k", path,
    });

    /// <summary>The same in H.265 (tagged hvc1), 16 s.</summary>
    private static Task<string> HevcSourceAsync() => Media.MadeAsync("parts-source-h265-v1.mp4", path => new List<string>
    {
        "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=44100",
        "-t", "16", "-c:v", "libx265", "-preset", "ultrafast", "-g", "50", "-x265-params", "log-level=error", "-tag:v", "hvc1",
        "-c:a", "aac", "-b:a", "128k", path,
    });

    [Fact]
    public void Parts_are_planned_at_ninety_percent_of_the_limit()
    {
        const long mb = 1_000_000;
        Assert.Equal(2, VideoParts.PartsFor(600 * mb, 500 * mb));
        Assert.Equal(1, VideoParts.PartsFor(450 * mb, 500 * mb));
        Assert.Equal(2, VideoParts.PartsFor(451 * mb, 500 * mb));
        Assert.Equal(3, VideoParts.PartsFor(1000 * mb, 500 * mb));
        Assert.Throws<ArgumentOutOfRangeException>(() => VideoParts.PartsFor(1, 0));
    }

    [Fact]
    public void Cuts_fall_where_the_bytes_divide_evenly_and_every_part_fits()
    {
        // Ten keyframe intervals of 1 MB (50 packets each): four even shares would need a part of three intervals (over 3 MB with its index), five do not.
        var map = Map(Enumerable.Repeat(1_000_000L, 10).ToArray());
        Assert.Equal(new[] { 2, 4, 6, 8 }, VideoParts.ChooseCuts(map, 3_000_000, 3_000_000, 1, "x.mp4"));
        Assert.Equal(new[] { 2, 4, 6, 8 }, VideoParts.ChooseCuts(map, 3_000_000, 3_000_000, 1, "x.mp4")); // the same plan every time
        Assert.Equal(6, VideoParts.ChooseCuts(map, 3_000_000, 3_000_000, 6, "x.mp4").Count + 1); // at least six parts when asked
        // Uneven intervals: the even shares cannot fit around the big one, filled one interval at a time they do.
        var uneven = Map(new[] { 100_000L, 100_000, 2_900_000, 100_000, 100_000, 2_900_000, 100_000 });
        var cuts = VideoParts.ChooseCuts(uneven, 3_000_000, 3_000_000, 1, "x.mp4");
        var bounds = new[] { 0 }.Concat(cuts).Concat(new[] { uneven.Count }).ToList();
        for (var i = 0; i + 1 < bounds.Count; i++) Assert.InRange(uneven.Estimate(bounds[i], bounds[i + 1]), 1, 3_000_000);
    }

    [Fact]
    public void One_keyframe_interval_over_the_limit_says_where_it_is()
    {
        var map = Map(new[] { 1_000_000L, 4_000_000, 1_000_000 });
        var ex = Assert.Throws<LocalEngineException>(() => VideoParts.ChooseCuts(map, 3_000_000, 3_000_000, 1, "long-gop.mp4"));
        Assert.Equal(LocalErrorKind.ConversionFailed, ex.Kind);
        Assert.Contains("'long-gop.mp4' cannot be split into parts under 3 MB", ex.Message);
        Assert.Contains("keyframe at 2 s to the next at 4 s is 4 MB", ex.Message);
        Assert.Contains("keyframes more often", ex.Message);
    }

    [Fact]
    public void Parts_begin_at_closed_GOP_keyframes_when_there_are_enough_of_them()
    {
        // Keyframes at 0, 2, 4, 6 s; the one at 2 s is open (the frame after it in the file is shown before it).
        var lines = string.Join("\n", new[]
        {
            "packet|stream_index=0|pts_time=0.000000|dts_time=-0.080000|size=500000|flags=K__", "packet|stream_index=1|pts_time=0.000000|dts_time=0.000000|size=1000|flags=K__",
            "packet|stream_index=0|pts_time=2.000000|dts_time=1.880000|size=500000|flags=K__", "packet|stream_index=0|pts_time=1.960000|dts_time=1.920000|size=1000|flags=___",
            "side_data|side_data_type=whatever", "packet|stream_index=2|pts_time=3.000000|dts_time=3.000000|size=9999999|flags=K__",
            "packet|stream_index=0|pts_time=4.000000|dts_time=3.880000|size=500000|flags=K__",
            "packet|stream_index=0|pts_time=6.000000|dts_time=5.880000|size=500000|flags=K__",
        });
        var map = VideoParts.ReadPackets(lines, 0, new[] { 0, 1 });
        Assert.Equal(new[] { 0.0, 2, 4, 6 }, map.Times);
        Assert.Equal(new[] { false, true, false, false }, map.Open);
        Assert.Equal(2_002_000, map.TotalBytes); // the stream not sent (index 2) counts for nothing

        var (plan, cuts) = VideoParts.Plan(map, 1_200_000, 1_200_000, 1, "x.mp4");
        Assert.Equal(new[] { 4.0 }, cuts.Select(k => plan.Times[k]));
        Assert.Equal(2.0, plan.Previous[cuts[0]]); // the segment muxer is told a time after the open keyframe, so it cannot cut there
    }

    [Fact]
    public void A_part_that_came_back_a_frame_short_holds_its_last_frame_instead_of_pulling_the_rest_ahead()
    {
        VideoParts.PartVideo Part(double seconds) => new("p.mp4", "h264", 640, 360, TimeSpan.Zero, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(40), true);
        var placed = VideoParts.Place(new[] { Part(3.96), Part(4), Part(2) }, new[] { 0.0, 2, 4, 6, 8, 10 });
        Assert.Equal(new[] { 0.0, 4, 8 }, placed.Select(p => p.Start.TotalSeconds));
        Assert.Equal(new[] { 4.0, 4, 2 }, placed.Select(p => p.Duration.TotalSeconds));
        // No keyframe within two and a half frames: the part goes where the one before ends.
        var loose = VideoParts.Place(new[] { Part(3.5), Part(1) }, new[] { 0.0, 4 });
        Assert.Equal(new[] { 0.0, 3.5 }, loose.Select(p => p.Start.TotalSeconds));
    }

    [Fact]
    public async Task A_source_is_cut_at_its_keyframes_into_parts_under_the_limit_that_add_up_to_it()
    {
        var source = await SourceAsync();
        var folder = _env.PathIn("parts");
        var reports = new List<double>();

        var parts = await VideoParts.SplitAsync(Tools, source, Limit, folder, new SyncProgress<double>(reports.Add), CancellationToken.None);

        Assert.InRange(parts.Count, 3, 4);
        Assert.Equal(Enumerable.Range(1, parts.Count).Select(i => $"part{i:000}.mp4"), parts.Select(p => Path.GetFileName(p.Path)));
        Assert.Equal(parts.Select(p => p.Path).OrderBy(p => p), Directory.GetFiles(folder).OrderBy(p => p));
        var sourceKeys = (await Packets(source)).Where(p => p.Key).Select(p => p.Pts).ToList();
        var start = 0.0;
        foreach (var part in parts)
        {
            Assert.Equal(new FileInfo(part.Path).Length, part.Bytes);
            Assert.InRange(part.Bytes, 1, Limit - 1);
            var first = (await Packets(part.Path, 1)).Single();
            Assert.True(first.Key, $"{Path.GetFileName(part.Path)} begins with a keyframe");
            Assert.Equal(0, first.Pts, 3);
            var probe = await Probe(part.Path);
            Assert.Equal(probe.Video.Duration, part.Duration.TotalSeconds, 3);
            Assert.Equal("aac", probe.Audio.Codec);
            Assert.Equal(start, part.Start.TotalSeconds, 3);
            Assert.Contains(sourceKeys, k => Math.Abs(k - part.Start.TotalSeconds) < 0.001);
            start += part.Duration.TotalSeconds;
        }
        var whole = await Probe(source);
        Assert.Equal(whole.Video.Duration, parts.Sum(p => p.Duration.TotalSeconds), 1); // within 0.05 s
        Assert.Equal(whole.Video.Frames, (await Task.WhenAll(parts.Select(p => Probe(p.Path)))).Sum(p => p.Video.Frames));
        Assert.Equal(1.0, reports[^1]);
        Assert.Equal(reports.OrderBy(r => r), reports);
    }

    [Fact]
    public async Task Splitting_again_finds_the_same_cut_points_and_leaves_no_stale_parts()
    {
        var source = await SourceAsync();
        var once = await VideoParts.SplitAsync(Tools, source, Limit, _env.PathIn("a"), null, CancellationToken.None);
        // A rerun into a folder where a killed run with another plan left more parts than this one makes.
        var folder = Directory.CreateDirectory(_env.PathIn("b")).FullName;
        for (var i = 1; i <= 7; i++) File.WriteAllText(Path.Combine(folder, $"part{i:000}.mp4"), "left over");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "not ours");

        var twice = await VideoParts.SplitAsync(Tools, source, Limit, folder, null, CancellationToken.None);

        Assert.Equal(once.Select(p => (p.Index, p.Start, p.Duration, p.Bytes)), twice.Select(p => (p.Index, p.Start, p.Duration, p.Bytes)));
        Assert.Equal(twice.Select(p => Path.GetFileName(p.Path)).Append("notes.txt").OrderBy(n => n), Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n));
    }

    [Fact]
    public async Task A_keyframe_interval_bigger_than_the_limit_is_a_clear_error_and_leaves_no_parts()
    {
        var source = await SourceAsync();
        var folder = _env.PathIn("parts");
        var ex = await Assert.ThrowsAsync<LocalEngineException>(() => VideoParts.SplitAsync(Tools, source, 100_000, folder, null, CancellationToken.None));
        Assert.Equal(LocalErrorKind.ConversionFailed, ex.Kind);
        Assert.Contains("cannot be split into parts under 0.1 MB", ex.Message);
        Assert.Contains("parts can only begin at keyframes", ex.Message);
        Assert.Empty(Directory.Exists(folder) ? Directory.GetFiles(folder) : Array.Empty<string>());
    }

    [Fact]
    public async Task Parts_re_encoded_by_the_cloud_join_to_the_sources_length_under_its_own_audio_copied()
    {
        var source = await SourceAsync();
        var parts = await VideoParts.SplitAsync(Tools, source, Limit, _env.PathIn("parts"), null, CancellationToken.None);
        var cloud = await CloudAsync(parts, h265: false);
        var output = _env.PathIn("joined.mp4");
        var reports = new List<double>();

        await VideoParts.JoinAsync(Tools, cloud, source, null, output, new SyncProgress<double>(reports.Add), CancellationToken.None);

        var made = await Probe(output);
        var whole = await Probe(source);
        Assert.Equal(("h264", "avc1"), (made.Video.Codec, made.Video.Tag));
        Assert.Equal(whole.Video.Frames, made.Video.Frames);
        var partLengths = (await Task.WhenAll(cloud.Select(Probe))).Sum(p => p.Video.Duration);
        Assert.InRange(made.Video.Duration, partLengths - 0.04, partLengths + 0.04); // within a frame of the parts added up
        AssertLengths(made, whole);
        // The audio is the source's, packet for packet.
        Assert.Equal("aac", made.Audio.Codec);
        Assert.InRange(made.Audio.BitRate, whole.Audio.BitRate * 0.98, whole.Audio.BitRate * 1.02);
        Assert.Equal(await AudioHash(source), await AudioHash(output));
        await AssertNoGapsAsync(output, parts.Skip(1).Select(p => p.Start.TotalSeconds));
        await AssertFaststartAsync(output);
        Assert.Equal(1.0, reports[^1]);
    }

    [Fact]
    public async Task Audio_asked_at_a_bitrate_is_encoded_once_for_the_whole_file()
    {
        var source = await SourceAsync();
        var parts = await VideoParts.SplitAsync(Tools, source, Limit, _env.PathIn("parts"), null, CancellationToken.None);
        var cloud = await CloudAsync(parts, h265: false);
        var output = _env.PathIn("joined.mp4");

        await VideoParts.JoinAsync(Tools, cloud, source, 96, output, null, CancellationToken.None);

        var made = await Probe(output);
        Assert.Equal("aac", made.Audio.Codec);
        Assert.InRange(made.Audio.BitRate, 80_000, 110_000);
        AssertLengths(made, await Probe(source));
        await AssertNoGapsAsync(output, parts.Skip(1).Select(p => p.Start.TotalSeconds));
    }

    [Fact]
    public async Task An_H265_source_joins_tagged_hvc1_whatever_the_cloud_tagged_its_parts()
    {
        var source = await HevcSourceAsync();
        var parts = await VideoParts.SplitAsync(Tools, source, (long)(new FileInfo(source).Length / 2.5), _env.PathIn("parts"), null, CancellationToken.None);
        Assert.InRange(parts.Count, 3, 4);
        var cloud = await CloudAsync(parts, h265: true);
        Assert.All(await Task.WhenAll(cloud.Select(Probe)), p => Assert.Equal("hev1", p.Video.Tag)); // ffmpeg's default, which Apple refuses
        var output = _env.PathIn("joined.mp4");

        await VideoParts.JoinAsync(Tools, cloud, source, null, output, null, CancellationToken.None);

        var made = await Probe(output);
        var whole = await Probe(source);
        Assert.Equal(("hevc", "hvc1"), (made.Video.Codec, made.Video.Tag));
        // x265's keyframes are open-GOP (after each, a frame shown before it that needs the GOP before): a part begun there
        // cannot show that frame, so the frame before it is held over its time instead, and nothing after it moves.
        Assert.InRange(made.Video.Frames, whole.Video.Frames - 2 * (parts.Count - 1), whole.Video.Frames);
        AssertLengths(made, whole);
        await AssertNoGapsAsync(output, parts.Skip(1).Select(p => p.Start.TotalSeconds));
    }

    [Fact]
    public async Task Parts_of_another_size_are_refused_before_ffmpeg_joins_them()
    {
        var source = await SourceAsync();
        var parts = await VideoParts.SplitAsync(Tools, source, Limit, _env.PathIn("parts"), null, CancellationToken.None);
        var small = _env.PathIn("small.mp4");
        await Run("ffmpeg", "-i", parts[1].Path, "-vf", "scale=320:180", "-c:v", "libx264", "-preset", "ultrafast", "-an", small);
        var output = _env.PathIn("joined.mp4");

        var ex = await Assert.ThrowsAsync<LocalEngineException>(() =>
            VideoParts.JoinAsync(Tools, new[] { parts[0].Path, small }, source, null, output, null, CancellationToken.None));

        Assert.Contains("'small.mp4' is h264 320x180", ex.Message);
        Assert.False(File.Exists(output));
    }

    [LinuxFact("finds the processes still running by their command lines in /proc")]
    public async Task Cancelling_a_split_kills_ffmpeg_and_removes_the_parts()
    {
        var short_ = await SourceAsync();
        // 20 loops of the source: about 50 MB, so that the copy is still running when the first progress arrives.
        var source = await Media.MadeAsync("parts-source-h264-long-v1.mp4", path => new List<string> { "-stream_loop", "20", "-i", short_, "-c", "copy", path });
        var folder = Directory.CreateDirectory(_env.PathIn("cancelled-parts")).FullName;
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress<double>(p => { if (p >= 0.3) cts.Cancel(); }); // in the copy, after the keyframe scan

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => VideoParts.SplitAsync(Tools, source, 20_000_000, folder, progress, cts.Token));

        Assert.Empty(Running(folder));
        await Task.Delay(300);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [LinuxFact("finds the processes still running by their command lines in /proc")]
    public async Task Cancelling_a_join_kills_ffmpeg_and_removes_the_output()
    {
        var source = await SourceAsync();
        var parts = await VideoParts.SplitAsync(Tools, source, Limit, _env.PathIn("parts"), null, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var output = _env.PathIn("joined.mp4");
        var progress = new SyncProgress<double>(p => { if (p >= 0.05) cts.Cancel(); }); // the parts probed, ffmpeg about to start

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            VideoParts.JoinAsync(Tools, parts.Select(p => p.Path).ToList(), source, 128, output, progress, cts.Token));

        Assert.Empty(Running(output));
        Assert.False(File.Exists(output));
        Assert.DoesNotContain(Directory.GetFiles(Path.GetTempPath(), "nemo-join-*.ffconcat"), f => File.ReadAllText(f).Contains(_env.WorkDirectory));
    }

    // ---- helpers ----

    /// <summary>Each part re-encoded as the cloud does it: its video at a low bitrate, and AAC of its own (which the join must ignore).</summary>
    private async Task<IReadOnlyList<string>> CloudAsync(IReadOnlyList<VideoPart> parts, bool h265)
    {
        var folder = Directory.CreateDirectory(_env.PathIn("cloud")).FullName;
        var results = new List<string>();
        foreach (var part in parts)
        {
            var result = Path.Combine(folder, Path.GetFileName(part.Path));
            var video = h265
                ? new[] { "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error" }
                : new[] { "-c:v", "libx264", "-preset", "veryfast" };
            await Run(new[] { "ffmpeg", "-i", part.Path }.Concat(video).Concat(new[] { "-b:v", "300k", "-c:a", "aac", "-b:a", "96k", result }).ToArray());
            results.Add(result);
        }
        return results;
    }

    private static void AssertLengths(ProbeInfo made, ProbeInfo source)
    {
        Assert.InRange(Math.Abs(made.Video.Duration - made.Audio.Duration), 0, 0.1);
        Assert.InRange(Math.Abs(made.Video.Duration - source.Video.Duration), 0, 0.1);
        Assert.InRange(Math.Abs(made.Audio.Duration - source.Audio.Duration), 0, 0.1);
        // In sync: both begin where the source's do (a shift of one AAC frame, 23 ms, would show here).
        Assert.InRange(Math.Abs((made.Audio.Start - made.Video.Start) - (source.Audio.Start - source.Video.Start)), 0, 0.005);
    }

    /// <summary>The tone decoded from half a second before to half a second after each join: no 5 ms without it, no sample jump a 1 kHz sine cannot make.</summary>
    private async Task AssertNoGapsAsync(string output, IEnumerable<double> joins)
    {
        foreach (var join in joins)
        {
            var raw = _env.PathIn($"around-{join:0.000}.pcm");
            await Run("ffmpeg", "-ss", (join - 0.5).ToString("0.000", CultureInfo.InvariantCulture), "-i", output, "-t", "1", "-map", "0:a:0",
                "-ac", "1", "-ar", "44100", "-f", "s16le", "-c:a", "pcm_s16le", raw);
            var bytes = await File.ReadAllBytesAsync(raw);
            var samples = Enumerable.Range(0, bytes.Length / 2).Select(i => (double)BitConverter.ToInt16(bytes, i * 2)).ToArray();
            Assert.InRange(samples.Length, 40_000, 46_000);
            var peak = samples.Max(Math.Abs);
            Assert.True(peak > 1000, $"the tone is there around {join:0.00} s (peak {peak})");
            const int window = 220; // 5 ms
            for (var w = 0; w + window <= samples.Length; w += window)
            {
                var rms = Math.Sqrt(samples.Skip(w).Take(window).Average(s => s * s));
                Assert.True(rms > peak / Math.Sqrt(2) * 0.7, $"{rms:0} RMS at {join - 0.5 + w / 44100.0:0.000} s, near the join at {join:0.00} s (peak {peak})");
            }
            // A 1 kHz sine moves at most 2π·1000/44100 ≈ 0.14 of its peak from one sample to the next; a click jumps further.
            var jump = samples.Skip(1).Select((s, i) => Math.Abs(s - samples[i])).Max();
            Assert.True(jump < peak * 0.25, $"a jump of {jump} (peak {peak}) near the join at {join:0.00} s");
        }
    }

    private static async Task AssertFaststartAsync(string path)
    {
        var head = new byte[64 * 1024];
        await using (var f = File.OpenRead(path)) _ = await f.ReadAsync(head);
        var text = System.Text.Encoding.ASCII.GetString(head);
        Assert.True(text.IndexOf("moov", StringComparison.Ordinal) is var moov && moov >= 0 && (text.IndexOf("mdat", StringComparison.Ordinal) is var mdat && (mdat < 0 || moov < mdat)),
            "+faststart puts the index first");
    }

    private static async Task<string> AudioHash(string path)
    {
        var (code, stdout, err) = await Media.RunAsync("ffmpeg", new[] { "-v", "error", "-i", path, "-map", "0:a:0", "-c", "copy", "-f", "md5", "-" });
        Assert.True(code == 0, err);
        return stdout.Trim();
    }

    private static IEnumerable<string> Running(string path) =>
        Directory.GetDirectories("/proc").Select(d => Path.Combine(d, "cmdline")).Select(f =>
        {
            try { return File.ReadAllText(f).Replace('\0', ' '); }
            catch (IOException) { return ""; }
            catch (UnauthorizedAccessException) { return ""; }
        }).Where(c => c.Contains(path, StringComparison.Ordinal) && (c.Contains("ffmpeg") || c.Contains("ffprobe")));

    private static async Task Run(params string[] command)
    {
        var (code, _, err) = await Media.RunAsync(command[0], new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(command.Skip(1)));
        Assert.True(code == 0, $"{string.Join(" ", command)}: {err}");
    }

    private sealed record Packet(double Pts, bool Key);

    private static async Task<IReadOnlyList<Packet>> Packets(string path, int? count = null)
    {
        var args = new List<string> { "-v", "error", "-select_streams", "v:0", "-show_entries", "packet=pts_time,flags", "-of", "csv=p=0" };
        if (count is int n) args.AddRange(new[] { "-read_intervals", "%+#" + n });
        args.Add(path);
        var (code, stdout, err) = await Media.RunAsync("ffprobe", args);
        Assert.True(code == 0, err);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => l.Split(','))
            .Where(f => f.Length >= 2).Select(f => new Packet(double.Parse(f[0], CultureInfo.InvariantCulture), f[1].Contains('K'))).ToList();
    }

    private sealed record StreamInfo(string Codec, string Tag, double Start, double Duration, long Frames, double BitRate);
    private sealed record ProbeInfo(StreamInfo Video, StreamInfo Audio);

    private static async Task<ProbeInfo> Probe(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[]
        {
            "-v", "error", "-show_entries", "stream=codec_type,codec_name,codec_tag_string,start_time,duration,nb_frames,bit_rate", "-of", "json", path,
        });
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(json);
        StreamInfo Read(string type)
        {
            var s = doc.RootElement.GetProperty("streams").EnumerateArray().First(e => e.GetProperty("codec_type").GetString() == type);
            double Num(string name) => s.TryGetProperty(name, out var v) && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN;
            return new StreamInfo(s.GetProperty("codec_name").GetString()!, s.GetProperty("codec_tag_string").GetString()!, Num("start_time"), Num("duration"),
                (long)Num("nb_frames"), Num("bit_rate"));
        }
        return new ProbeInfo(Read("video"), Read("audio"));
    }

    private static VideoParts.KeyframeMap Map(long[] intervals)
    {
        var times = intervals.Select((_, i) => i * 2.0).ToList();
        var before = intervals.Select((_, i) => intervals.Take(i).Sum()).ToList();
        var packets = intervals.Select((_, i) => i * 50L).ToList();
        return new VideoParts.KeyframeMap(times, before, packets, intervals.Sum(), intervals.Length * 50L);
    }
}
