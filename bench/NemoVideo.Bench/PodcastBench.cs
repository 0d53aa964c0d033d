using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Bench;

/// <summary>
/// Podcast MP3s on the local engine against what a person types: a plain re-encode against the same ffmpeg command,
/// -Loudness against a plain encode, and a batch of 8 at the default throttle against a foreach of the ffmpeg commands.
/// </summary>
internal static class PodcastBench
{
    public static async Task RunAsync(Results results, string work, int minutes, int runs)
    {
        var job = new LocalJob(FfmpegTools.Locate());
        var source = await RecordingAsync(work, "recording", minutes);
        var ours = Path.Combine(work, "ours.mp3");
        var hand = Path.Combine(work, "hand.mp3");
        string[] ByHand(string input, string output) => new[] { "-hide_banner", "-loglevel", "error", "-y", "-i", input, "-vn", "-c:a", "libmp3lame", "-b:a", "128k", output };

        // 1. A plain re-encode: the engine (inspector, encode, check, tag, rename) against the command typed by hand.
        var (engine, byHand) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(() => job.RunAsync(new Mp3Request(source, ours, 128) { Overwrite = true })),
            () => Harness.TimeAsync(() => Harness.RunAsync("ffmpeg", ByHand(source, hand))));
        var ratio = Harness.Median(engine) / Harness.Median(byHand);
        results.Add(new Row("Podcast", $"{minutes}-min recording (H.264 + AAC, chapters) → 128 kbps MP3 (s)", Harness.F(Harness.Median(engine), "0.00"),
            Harness.F(Harness.Median(byHand), "0.00") + " (ffmpeg by hand)", ratio, "≤ 1.02", ratio <= 1.02,
            $"engine [{Harness.Raw(engine, "0.00")}]; by hand [{Harness.Raw(byHand, "0.00")}]"));

        // 2. -Loudness -16: the measuring pass decodes only; the gain rides in the encode; the MP3 is measured once more.
        LoudnessReading? check = null;
        var (loud, plain) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(async () =>
            {
                var r = await job.RunAsync(new Mp3Request(source, ours, 128) { Overwrite = true, Loudness = new LoudnessTarget(-16) });
                check = new LoudnessReading(r.Loudness!.Value, r.TruePeak!.Value, 0, 0);
            }),
            () => Harness.TimeAsync(() => job.RunAsync(new Mp3Request(source, hand, 128) { Overwrite = true })));
        ratio = Harness.Median(loud) / Harness.Median(plain);
        results.Add(new Row("Podcast", $"{minutes}-min recording: -Loudness -16 against a plain encode (s)", Harness.F(Harness.Median(loud), "0.00"),
            Harness.F(Harness.Median(plain), "0.00") + " (plain)", ratio, "≤ 1.6", ratio <= 1.6,
            $"loudness [{Harness.Raw(loud, "0.00")}]; plain [{Harness.Raw(plain, "0.00")}]; the MP3 measured {check}"));

        // 3. A batch of 8 at the default throttle (4) against a foreach of the same 8 ffmpeg commands, one after another.
        var batch = new List<string>();
        for (var i = 1; i <= 8; i++)
        {
            var copy = Path.Combine(work, $"episode-{i}.mkv");
            if (!File.Exists(copy)) File.Copy(await RecordingAsync(work, "short", Math.Max(1, minutes / 4)), copy);
            batch.Add(copy);
        }
        var observer = new Counting();
        var (parallel, foreachByHand) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(() => new BatchRunner(job.RunAsync, 4).RunAsync(
                batch.Select(b => (MediaJobRequest)new Mp3Request(b, Path.ChangeExtension(b, ".mp3"), 128) { Overwrite = true }).ToList(), observer, CancellationToken.None)),
            () => Harness.TimeAsync(async () =>
            {
                foreach (var b in batch) await Harness.RunAsync("ffmpeg", ByHand(b, Path.ChangeExtension(b, ".hand.mp3")));
            }));
        if (observer.Failures > 0) throw new InvalidOperationException($"{observer.Failures} batch jobs failed");
        var speedup = Harness.Median(foreachByHand) / Harness.Median(parallel);
        results.Add(new Row("Podcast", $"8 × {Math.Max(1, minutes / 4)}-min recordings: batch (-ThrottleLimit 4) against a foreach of ffmpeg (s)", Harness.F(Harness.Median(parallel), "0.00"),
            Harness.F(Harness.Median(foreachByHand), "0.00") + " (foreach by hand)", speedup, "≥ 1.8× faster", speedup >= 1.8,
            $"batch [{Harness.Raw(parallel, "0.00")}]; foreach [{Harness.Raw(foreachByHand, "0.00")}]; {Environment.ProcessorCount} cores; {observer.Made} files made, {observer.ProgressReports} progress reports"));
        foreach (var f in new[] { ours, hand }) File.Delete(f);
    }

    /// <summary>A recording as podcasters have them: small video, speech-like stereo audio, a title and three chapters.</summary>
    private static async Task<string> RecordingAsync(string work, string name, int minutes)
    {
        var path = Path.Combine(work, $"{name}-{minutes}min.mkv");
        if (File.Exists(path)) return path;
        var seconds = minutes * 60;
        var meta = Path.Combine(work, name + "-chapters.txt");
        File.WriteAllText(meta, $";FFMETADATA1\ntitle=Episode\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND={seconds * 300}\ntitle=Intro\n[CHAPTER]\nTIMEBASE=1/1000\nSTART={seconds * 300}\nEND={seconds * 800}\ntitle=Talk\n[CHAPTER]\nTIMEBASE=1/1000\nSTART={seconds * 800}\nEND={seconds * 1000}\ntitle=Outro\n");
        await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15",
            "-f", "lavfi", "-i", $"aevalsrc='0.2*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*0.7*t))*gt(sin(2*PI*1.3*t)\\,-0.2)+0.01*random(0)|0.2*sin(2*PI*223*t)*(0.5+0.5*sin(2*PI*0.6*t))':s=44100",
            "-i", meta, "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-map", "0:v", "-map", "1:a", "-map_metadata", "2", "-map_chapters", "2",
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "160k", path });
        return path;
    }

    private sealed class Counting : IBatchObserver
    {
        public int Made, Failures, ProgressReports;
        public void Started(int index) { }
        public void Progress(int index, JobProgress progress) => Interlocked.Increment(ref ProgressReports);
        public void Completed(int index, JobResult result) => Interlocked.Increment(ref Made);
        public void Failed(int index, Exception error) { Interlocked.Increment(ref Failures); Console.Error.WriteLine(error.Message); }
        public void Stopped(IReadOnlyList<int> notConverted, NemoApiException cause) => Interlocked.Add(ref Failures, notConverted.Count);
    }
}
