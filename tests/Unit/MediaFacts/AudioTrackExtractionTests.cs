using System.Globalization;
using System.Text.Json;
using NemoVideo.Media;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>
/// The managed extraction of one audio track against ffmpeg's own stream copy of it (<c>-map 0:a:N -c copy</c> to ADTS or
/// to bare MP3 frames), on real files made by ffmpeg: the bytes must be the same, and the result must decode cleanly
/// with the source's codec, rate, channels and length.
/// </summary>
public class AudioTrackExtractionTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-extract-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    private static readonly string[] Video = { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25" };

    private static Task<string> MadeAsync(string name, params string[] args) => Media.MadeAsync(name, path =>
    {
        var list = new List<string>(args) { path };
        return list;
    });

    /// <summary>A tone with some noise, so that AAC frames differ in size.</summary>
    private static string[] Audio(int rate, double seconds = 5) => new[]
    {
        "-f", "lavfi", "-i", $"aevalsrc='0.4*sin(2*PI*440*t)+0.1*random(0)':s={rate}:d={seconds.ToString(CultureInfo.InvariantCulture)}",
    };

    private static string[] Concat(params string[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>What OBS writes: H.264 and AAC at 48 kHz in Matroska.</summary>
    private static Task<string> ObsMkvAsync() => MadeAsync("extract-obs-v2.mkv",
        Concat(Video, Audio(48000), new[] { "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "2", "-b:a", "160k" }));

    private static Task<string> Mp4Async(string extension, bool faststart) => MadeAsync($"extract-aac-{(faststart ? "fast" : "slow")}-v1{extension}",
        Concat(Video, Audio(44100), new[] { "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-ac", "1" },
            faststart ? new[] { "-movflags", "+faststart" } : Array.Empty<string>()));

    private static Task<string> Mp3InAsync(string extension) => MadeAsync($"extract-mp3-v1{extension}",
        Concat(Video, Audio(44100), new[] { "-t", "5", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libmp3lame", "-b:a", "128k" }));

    /// <summary>Two audio tracks: AAC stereo 44.1 kHz first, AAC mono 48 kHz second, so the output tells which one came out.</summary>
    private static Task<string> TwoTracksAsync(string extension) => MadeAsync($"extract-two-v1{extension}",
        Concat(Video, Audio(44100), Audio(48000, 4), new[] { "-t", "5", "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast",
            "-c:a", "aac", "-ac:a:0", "2", "-ac:a:1", "1" }));

    // ---- the files people have

    [Fact]
    public async Task An_OBS_style_MKV_gives_ffmpegs_ADTS_bytes() => await SameAsFfmpegAsync(await ObsMkvAsync(), 0, "aac");

    [Theory]
    [InlineData(".mp4", true)]
    [InlineData(".mp4", false)]
    [InlineData(".mov", true)]
    [InlineData(".mov", false)]
    public async Task MP4_and_MOV_with_AAC_give_ffmpegs_ADTS_bytes_wherever_the_index_is(string extension, bool faststart)
    {
        var path = await Mp4Async(extension, faststart);
        var extraction = await SameAsFfmpegAsync(path, 0, "aac");
        // MP4 knows every sample's size: the estimate is the output's size.
        Assert.Equal(new FileInfo(Path.Combine(_dir, "out.aac")).Length, extraction.EstimatedBytes);
        Assert.NotNull(extraction.Duration);
    }

    [Theory]
    [InlineData(".mp4")]
    [InlineData(".mkv")]
    [InlineData(".mov")]
    public async Task MP3_audio_comes_out_as_its_frames(string extension) => await SameAsFfmpegAsync(await Mp3InAsync(extension), 0, "mp3");

    [Theory]
    [InlineData(".mkv")]
    [InlineData(".mp4")]
    public async Task The_second_audio_track_is_the_one_asked_for(string extension)
    {
        var path = await TwoTracksAsync(extension);
        await SameAsFfmpegAsync(path, 1, "aac");
        var (_, rate, channels, _) = await AudioOfAsync(Path.Combine(_dir, "out.aac"), 0);
        Assert.Equal((48000, 1), (rate, channels));
        Assert.Null(AudioTrackExtraction.TryPlan(path, 2, out var whyNot));
        Assert.Contains("2 audio tracks", whyNot);
    }

    // ---- what is refused, and why

    [Fact]
    public async Task WebM_with_Opus_is_refused_naming_the_codec()
    {
        var path = await Media.ClipAsync(".webm", seconds: 2, height: 240);
        Assert.Null(AudioTrackExtraction.TryPlan(path, 0, out var whyNot));
        Assert.Contains("opus", whyNot);
    }

    [Fact]
    public async Task Fragmented_MP4_is_refused_as_fragmented()
    {
        var path = await MadeAsync("extract-fragmented-v1.mp4", Concat(Video, Audio(44100, 2),
            new[] { "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-movflags", "frag_keyframe+empty_moov" }));
        Assert.Null(AudioTrackExtraction.TryPlan(path, 0, out var whyNot));
        Assert.Contains("fragmented", whyNot);
    }

    [Fact]
    public async Task A_file_with_no_audio_or_not_media_is_refused()
    {
        Assert.Null(AudioTrackExtraction.TryPlan(await Media.SilentClipAsync(), 0, out var whyNot));
        Assert.Contains("no audio track", whyNot);
        var text = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(text, "not a video at all");
        Assert.Null(AudioTrackExtraction.TryPlan(text, 0, out whyNot));
        Assert.Contains("neither", whyNot);
    }

    [Fact]
    public async Task Matroska_content_encoding_is_refused()
    {
        var frames = await AacFramesAsync();
        var path = Path.Combine(_dir, "stripped.mkv");
        File.WriteAllBytes(path, HandMadeMatroska.Build("A_AAC", frames.Config, 48000, 2, frames.Frames, _ => 1, headerStripping: true));
        Assert.Null(AudioTrackExtraction.TryPlan(path, 0, out var whyNot));
        Assert.Contains("content encoding", whyNot);
    }

    [Theory]
    [InlineData(new byte[] { 0x10, 0x00 }, "channel configuration 0")] // LC, 96 kHz, channel config 0 (a PCE)
    [InlineData(new byte[] { 0x17, 0x80, 0x00, 0xAC, 0x44, 0x10 }, "explicitly")] // LC, frequency index 15 then 24 bits
    [InlineData(new byte[] { 0xF8, 0xE0, 0x10 }, "object type 39")] // ER AAC ELD
    public void AAC_configs_ADTS_cannot_carry_are_refused(byte[] config, string reason)
    {
        Assert.Null(AacConfig.TryParse(config, 0, config.Length, out var whyNot));
        Assert.Contains(reason, whyNot);
    }

    // ---- HE-AAC and the config from the codec id

    /// <summary>ffmpeg's encoder has no HE-AAC, so its explicit signalling is checked on the config itself: the core's type and rate go in the header.</summary>
    [Theory]
    [InlineData(new byte[] { 0x2B, 0x11, 0x88, 0x00 }, 2, 6, 2)] // AOT 5, 24 kHz core, stereo, 48 kHz extension, core AOT 2
    [InlineData(new byte[] { 0xEB, 0x09, 0x88, 0x00 }, 2, 6, 1)] // AOT 29 (PS), 24 kHz, mono, 48 kHz extension, core AOT 2
    [InlineData(new byte[] { 0x12, 0x10, 0x56, 0xE5, 0x98 }, 2, 4, 2)] // LC 44.1 kHz stereo, SBR signalled backward-compatibly
    public void Explicit_HE_AAC_is_written_with_the_core_type_and_rate(byte[] config, int objectType, int rateIndex, int channels)
    {
        var aac = AacConfig.TryParse(config, 0, config.Length, out var whyNot);
        Assert.Null(whyNot);
        Assert.Equal((objectType, rateIndex, channels), (aac!.Value.ObjectType, aac.Value.RateIndex, aac.Value.ChannelConfig));
        var header = new byte[7];
        aac.Value.WriteHeader(header, 0, 300);
        Assert.Equal(new byte[] { 0xFF, 0xF1, (byte)(1 << 6 | rateIndex << 2), (byte)(channels << 6), 0x26, 0x7F, 0xFC }, header);
    }

    // ---- lacing and unknown sizes, in Matroska written by hand

    [Theory]
    [InlineData("A_AAC", true)]
    [InlineData("A_AAC/MPEG4/LC", false)]
    [InlineData("A_AAC/MPEG2/LC", false)]
    public async Task Xiph_and_EBML_laced_AAC_in_unknown_size_clusters_comes_out_whole(string codecId, bool withPrivate)
    {
        var frames = await AacFramesAsync();
        var path = Path.Combine(_dir, "laced-aac.mkv");
        // Block by block: unlaced, Xiph-laced (3 frames), EBML-laced (5), in a BlockGroup, Xiph (8).
        File.WriteAllBytes(path, HandMadeMatroska.Build(codecId, withPrivate ? frames.Config : null, 48000, 2, frames.Frames,
            block => (block % 4) switch { 0 => 1, 1 => 3, 2 => 5, _ => 8 }));
        await SameAsFfmpegAsync(path, 0, "aac");
        Assert.Equal(File.ReadAllBytes(frames.Reference), File.ReadAllBytes(Path.Combine(_dir, "out.aac")));
    }

    [Fact]
    public async Task Fixed_size_laced_MP3_comes_out_whole()
    {
        // MP3 at 48 kHz and 128 kb/s: every frame is 384 bytes, so blocks of four can be laced with one size.
        var source = await MadeAsync("extract-cbr48-v1.mp3", Concat(Audio(48000, 4), new[] { "-c:a", "libmp3lame", "-b:a", "128k", "-write_xing", "0", "-id3v2_version", "0" }));
        var bytes = File.ReadAllBytes(source);
        var frames = new List<byte[]>();
        for (var i = 0; i + 384 <= bytes.Length; i += 384) frames.Add(bytes[i..(i + 384)]);
        Assert.All(frames, f => Assert.Equal(0xFF, f[0]));
        var path = Path.Combine(_dir, "laced-mp3.mkv");
        File.WriteAllBytes(path, HandMadeMatroska.Build("A_MPEG/L3", null, 48000, 2, frames, block => block % 3 == 2 ? 1 : 4, fixedLacing: true));
        await SameAsFfmpegAsync(path, 0, "mp3");
        Assert.Equal(bytes.Take(frames.Count * 384), File.ReadAllBytes(Path.Combine(_dir, "out.mp3")));
    }

    [Fact]
    public async Task Unknown_size_clusters_as_a_live_recording_leaves_them_read_like_known_ones()
    {
        var obs = File.ReadAllBytes(await ObsMkvAsync());
        var path = Path.Combine(_dir, "live.mkv");
        File.WriteAllBytes(path, HandMadeMatroska.UnknownSizeClusters(obs));
        await SameAsFfmpegAsync(path, 0, "aac");
    }

    // ---- progress, cancelling, a cut file

    [Fact]
    public async Task Progress_climbs_to_one_and_cancelling_throws()
    {
        var path = await ObsMkvAsync();
        var extraction = AudioTrackExtraction.TryPlan(path, 0, out _)!;
        var seen = new List<double>();
        extraction.Extract(Stream.Null, new Inline(seen.Add), CancellationToken.None);
        Assert.Equal(0, seen[0]);
        Assert.Equal(1, seen[^1]);
        Assert.Equal(seen.OrderBy(v => v), seen);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => extraction.Extract(Stream.Null, null, cancelled.Token));
        var mp4 = AudioTrackExtraction.TryPlan(await Mp4Async(".mp4", false), 0, out _)!;
        Assert.Throws<OperationCanceledException>(() => mp4.Extract(Stream.Null, null, cancelled.Token));
    }

    [Fact]
    public async Task A_Matroska_file_cut_short_gives_its_whole_frames()
    {
        var obs = File.ReadAllBytes(await ObsMkvAsync());
        var path = Path.Combine(_dir, "cut.mkv");
        File.WriteAllBytes(path, obs[..(obs.Length * 2 / 3)]);
        var extraction = AudioTrackExtraction.TryPlan(path, 0, out var whyNot);
        Assert.True(extraction != null, whyNot);
        using var output = new MemoryStream();
        extraction!.Extract(output, null, CancellationToken.None);
        var reference = Path.Combine(_dir, "cut-ref.aac");
        var (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-v", "error", "-y", "-i", path, "-map", "0:a:0", "-c", "copy", reference });
        Assert.True(code == 0, err);
        var full = File.ReadAllBytes(reference);
        Assert.True(output.Length > 0 && output.Length <= full.Length);
        Assert.Equal(full[..(int)output.Length], output.ToArray()); // ffmpeg may keep a last partial frame; every whole one matches
        Assert.True(full.Length - output.Length < 8192);
    }

    private sealed class Inline : IProgress<double>
    {
        private readonly Action<double> _report;
        public Inline(Action<double> report) => _report = report;
        public void Report(double value) => _report(value);
    }

    // ---- the comparison with ffmpeg

    /// <summary>
    /// Plans and extracts track <paramref name="index"/> to out.aac/out.mp3 and checks it against ffmpeg's stream copy of
    /// the same track: the same bytes; decoding without errors; the source's codec, rate and channels; its length within 0.1 s.
    /// </summary>
    private async Task<AudioTrackExtraction> SameAsFfmpegAsync(string source, int index, string codec)
    {
        var extraction = AudioTrackExtraction.TryPlan(source, index, out var whyNot);
        Assert.True(extraction != null, whyNot);
        Assert.Null(whyNot);
        Assert.Equal(codec, extraction!.Codec);
        Assert.Equal("." + codec, extraction.Extension);
        Assert.Equal(index, extraction.AudioIndex);

        var output = Path.Combine(_dir, "out" + extraction.Extension);
        long written;
        using (var file = File.Create(output)) written = extraction.Extract(file, null, CancellationToken.None);
        Assert.Equal(new FileInfo(output).Length, written);
        Assert.InRange(extraction.EstimatedBytes, written * 0.8, written * 1.2);

        var reference = Path.Combine(_dir, "ffmpeg" + extraction.Extension);
        var copy = new List<string> { "-v", "error", "-y", "-i", source, "-map", $"0:a:{index}", "-c", "copy" };
        if (codec == "mp3") copy.AddRange(new[] { "-f", "mp3", "-write_xing", "0", "-id3v2_version", "0" });
        copy.Add(reference);
        var (code, _, err) = await Media.RunAsync("ffmpeg", copy);
        Assert.True(code == 0, err);
        var expected = File.ReadAllBytes(reference);
        var actual = File.ReadAllBytes(output);
        Assert.True(expected.Length == actual.Length, $"ffmpeg wrote {expected.Length} bytes, the extraction {actual.Length}");
        Assert.True(expected.AsSpan().SequenceEqual(actual), $"the bytes differ first at {FirstDifference(expected, actual)}");

        (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-v", "error", "-i", output, "-f", "null", "-" });
        Assert.True(code == 0 && err.Trim().Length == 0, "the output does not decode cleanly: " + err);

        var src = await AudioOfAsync(source, index);
        var got = await AudioOfAsync(output, 0);
        Assert.Equal((src.Codec, src.Rate, src.Channels), (got.Codec, got.Rate, got.Channels));
        Assert.True(Math.Abs(src.Seconds - got.Seconds) <= 0.1, $"the source's audio lasts {src.Seconds} s, the output {got.Seconds} s");
        if (extraction.Duration is TimeSpan d) Assert.True(Math.Abs(d.TotalSeconds - src.Seconds) <= 0.15, $"duration {d.TotalSeconds} s, source {src.Seconds} s");
        return extraction;
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i]) i++;
        return i;
    }

    /// <summary>ffprobe's codec, rate and channels of audio stream <paramref name="index"/>, and its length from its packets (first start to last end).</summary>
    private static async Task<(string Codec, int Rate, int Channels, double Seconds)> AudioOfAsync(string path, int index)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-select_streams", $"a:{index}",
            "-show_entries", "stream=codec_name,sample_rate,channels:packet=pts_time,duration_time", "-of", "json", path });
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(json).RootElement;
        var stream = root.GetProperty("streams")[0];
        var rate = int.Parse(stream.GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture);
        var codec = stream.GetProperty("codec_name").GetString()!;
        double first = double.MaxValue, last = 0;
        foreach (var p in root.GetProperty("packets").EnumerateArray())
        {
            var pts = double.Parse(p.GetProperty("pts_time").GetString()!, CultureInfo.InvariantCulture);
            var duration = p.TryGetProperty("duration_time", out var dt) ? double.Parse(dt.GetString()!, CultureInfo.InvariantCulture) : (codec == "aac" ? 1024.0 : 1152.0) / rate;
            first = Math.Min(first, pts);
            last = Math.Max(last, pts + duration);
        }
        return (codec, rate, stream.GetProperty("channels").GetInt32(), last - first);
    }

    /// <summary>The AAC frames of the OBS-style clip's track, from ffmpeg's ADTS copy of it, and the config its headers give.</summary>
    private async Task<(byte[] Config, List<byte[]> Frames, string Reference)> AacFramesAsync()
    {
        var reference = Path.Combine(_dir, "frames.aac");
        var (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-v", "error", "-y", "-i", await ObsMkvAsync(), "-map", "0:a:0", "-c", "copy", reference });
        Assert.True(code == 0, err);
        var b = File.ReadAllBytes(reference);
        var frames = new List<byte[]>();
        for (var i = 0; i < b.Length;)
        {
            Assert.Equal(0xFF, b[i]);
            var length = (b[i + 3] & 3) << 11 | b[i + 4] << 3 | b[i + 5] >> 5;
            frames.Add(b[(i + 7)..(i + length)]);
            i += length;
        }
        var objectType = (b[2] >> 6) + 1;
        var rateIndex = (b[2] >> 2) & 15;
        var channels = (b[2] & 1) << 2 | b[3] >> 6;
        var config = new[] { (byte)(objectType << 3 | rateIndex >> 1), (byte)((rateIndex & 1) << 7 | channels << 3) };
        return (config, frames, reference);
    }
}
