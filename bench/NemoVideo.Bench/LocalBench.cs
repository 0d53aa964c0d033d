using NemoVideo.Jobs;
using NemoVideo.Local;

namespace NemoVideo.Bench;

/// <summary>The local engine against the same ffmpeg command typed by hand, and stream copy against re-encoding.</summary>
internal static class LocalBench
{
    public static async Task RunAsync(Results results, string work, int audioMinutes, int runs)
    {
        var job = new LocalJob(FfmpegTools.Locate());
        var source = Path.Combine(work, $"mp3-audio-{audioMinutes}min.mkv");
        if (!File.Exists(source))
            await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.1:sample_rate=44100", "-filter_complex", "amix=inputs=2",
                "-t", (audioMinutes * 60).ToString(), "-c:a", "libmp3lame", "-b:a", "192k", source });
        var ours = Path.Combine(work, "ours.mp3");
        var hand = Path.Combine(work, "hand.mp3");

        var (engine, byHand) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(() => job.RunAsync(new Mp3Request(source, ours, 128) { Overwrite = true })),
            () => Harness.TimeAsync(() => Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-i", source, "-map", "0:a:0", "-vn",
                "-c:a", "libmp3lame", "-b:a", "128k", hand })));
        var ratio = Harness.Median(engine) / Harness.Median(byHand);
        results.Add(new Row("Local engine", $"{audioMinutes}-min MP3 source re-encoded at 128 kbps (s)", Harness.F(Harness.Median(engine), "0.00"),
            Harness.F(Harness.Median(byHand), "0.00") + " (ffmpeg by hand)", ratio, "≤ 1.05", ratio <= 1.05,
            $"engine [{Harness.Raw(engine, "0.00")}]; by hand [{Harness.Raw(byHand, "0.00")}]"));

        var (copy, encode) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(async () =>
            {
                var r = await job.RunAsync(new Mp3Request(source, ours, Mp3Encoding.Default) { Overwrite = true });
                if (!r.StreamCopied) throw new InvalidOperationException("expected a stream copy");
            }),
            () => Harness.TimeAsync(() => job.RunAsync(new Mp3Request(source, ours, 192) { Overwrite = true })));
        var speedup = Harness.Median(encode) / Harness.Median(copy);
        results.Add(new Row("Local engine", $"{audioMinutes}-min MP3 source: stream copy vs re-encode (s)", Harness.F(Harness.Median(copy), "0.000"),
            Harness.F(Harness.Median(encode), "0.00") + " (re-encode)", speedup, "≥ 20× faster", speedup >= 20,
            $"copy [{Harness.Raw(copy, "0.000")}]; re-encode [{Harness.Raw(encode, "0.00")}]"));

        var video = Path.Combine(work, "video-720p.mp4");
        if (!File.Exists(video))
            await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "6M", "-c:a", "aac", video });
        var oursMp4 = Path.Combine(work, "ours.mp4");
        var handMp4 = Path.Combine(work, "hand.mp4");
        var (engineV, handV) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(() => job.RunAsync(new CompressRequest(video, oursMp4, 1000, 480) { Overwrite = true })),
            () => Harness.TimeAsync(() => Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-i", video, "-map", "0:v:0",
                "-c:v", "libx264", "-preset", "medium", "-b:v", "1000k", "-pix_fmt", "yuv420p", "-maxrate", "1000k", "-bufsize", "2000k", "-vf", "scale=-2:480",
                "-map", "0:a:0", "-c:a", "copy", "-movflags", "+faststart", handMp4 })));
        ratio = Harness.Median(engineV) / Harness.Median(handV);
        results.Add(new Row("Local engine", "20 s 720p → 1 Mbps 480p H.264 (s)", Harness.F(Harness.Median(engineV), "0.00"),
            Harness.F(Harness.Median(handV), "0.00") + " (ffmpeg by hand)", ratio, "≤ 1.05", ratio <= 1.05,
            $"engine [{Harness.Raw(engineV, "0.00")}]; by hand [{Harness.Raw(handV, "0.00")}]"));
        foreach (var f in new[] { ours, hand, oursMp4, handMp4 }) File.Delete(f);
    }
}
