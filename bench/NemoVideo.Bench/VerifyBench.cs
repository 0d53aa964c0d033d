using System.Diagnostics;
using NemoVideo.Media;

namespace NemoVideo.Bench;

/// <summary>
/// What checking an output costs: <see cref="MediaInspector"/> on 100 MB files (CBR MP3, VBR MP3, MP4 with its index
/// at the end) against ffprobe on the same file, page cache warm. Target: under 50 ms for 100 MB.
/// </summary>
internal static class VerifyBench
{
    public static async Task RunAsync(Results results, string work, int runs)
    {
        var cases = new (string Name, string File, string[] Args)[]
        {
            ("CBR MP3 320 kbps", "cbr.mp3", new[] { "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.5:sample_rate=44100", "-t", "2560", "-ac", "2", "-c:a", "libmp3lame", "-b:a", "320k" }),
            ("VBR MP3 V0", "vbr.mp3", new[] { "-f", "lavfi", "-i", "anoisesrc=color=white:amplitude=0.5:sample_rate=44100", "-t", "3000", "-ac", "2", "-c:a", "libmp3lame", "-q:a", "0" }),
            ("MP4 H.264 + AAC, index at the end", "video.mp4", new[] { "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine",
                "-t", "40", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "20M", "-c:a", "aac" }),
        };
        foreach (var (name, file, args) in cases)
        {
            var path = Path.Combine(work, file);
            await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(args).Append(path));
            var mb = new FileInfo(path).Length / 1e6;
            MediaInspector.Inspect(path); // warm: the page cache holds the file, as it does right after a download
            var (ours, probe) = await Harness.PairedAsync(runs,
                () => Task.FromResult(Time(() => MediaInspector.Inspect(path))),
                () => Harness.TimeAsync(() => Harness.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-of", "json", path })));
            var facts = MediaInspector.Inspect(path);
            var per100 = Harness.Median(ours) * 1000 * 100 / mb;
            results.Add(new Row("Verify", $"{name}, {mb:0} MB: {facts.Describe()} (ms)", Harness.F(Harness.Median(ours) * 1000, "0.0"),
                Harness.F(Harness.Median(probe) * 1000, "0") + " (ffprobe)", Harness.Median(probe) / Harness.Median(ours), "< 50 ms per 100 MB",
                per100 < 50, $"ours {Harness.Raw(ours.Select(s => s * 1000), "0.0")} ms; ffprobe {Harness.Raw(probe.Select(s => s * 1000), "0")} ms; {Harness.F(per100, "0.0")} ms per 100 MB"));
            File.Delete(path);
        }
        results.Note("Verify: the managed inspector reads an MP3 frame header to frame header through the whole file (in 1 MiB reads) and an MP4's index only; ffprobe is started as a process, as a script would.");
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }
}
