using System.Diagnostics;
using System.Globalization;
using System.Text;
using NemoVideo.Media;

// AudioTrackExtraction against `ffmpeg -i src -map 0:a:0 -c copy -vn out.aac` on a ~1 GB MKV and MP4 made by looping a
// 20 s clip (1080p H.264 at 8 Mb/s, AAC 160 kb/s stereo 48 kHz) without re-encoding. Both write to /dev/shm, so the
// disk's write-back does not decide; the sources are read from the page cache after a warm-up of each side.
// Usage: dotnet run -c Release --project bench/NemoVideo.ExtractBench [-- --dir /tmp/nemo-extract-bench --runs 5]
var dir = Arg("--dir") ?? Path.Combine(Path.GetTempPath(), "nemo-extract-bench");
var runs = int.Parse(Arg("--runs") ?? "5", CultureInfo.InvariantCulture);
var outDir = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
Directory.CreateDirectory(dir);
var started = DateTime.UtcNow;
var commands = new List<string>();

var clip = Path.Combine(dir, "clip.mkv");
Make(clip, "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30", "-f", "lavfi", "-i", "aevalsrc='0.4*sin(2*PI*440*t)+0.1*random(0)':s=48000:c=stereo",
    "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-c:a", "aac", "-ac", "2", "-b:a", "160k");
var clipMp4 = Path.Combine(dir, "clip.mp4");
Make(clipMp4, "-i", clip, "-c", "copy");
var rows = new List<string>();
foreach (var (name, from) in new[] { ("big.mkv", clip), ("big.mp4", clipMp4) })
{
    var big = Path.Combine(dir, name);
    Make(big, "-stream_loop", "49", "-i", from, "-c", "copy");
    var ffmpegOut = Path.Combine(outDir, "extract-bench-ffmpeg.aac");
    var oursOut = Path.Combine(outDir, "extract-bench-ours.aac");
    var ffmpegArgs = new[] { "-v", "error", "-y", "-i", big, "-map", "0:a:0", "-c", "copy", "-vn", ffmpegOut };
    commands.Add("ffmpeg " + string.Join(" ", ffmpegArgs));
    double Ffmpeg() { var w = Stopwatch.StartNew(); Run("ffmpeg", ffmpegArgs); return w.Elapsed.TotalSeconds; }
    double Ours()
    {
        var w = Stopwatch.StartNew();
        var plan = AudioTrackExtraction.TryPlan(big, 0, out var whyNot) ?? throw new InvalidOperationException(whyNot);
        using var file = new FileStream(oursOut, FileMode.Create, FileAccess.Write, FileShare.None, 1);
        plan.Extract(file, null, CancellationToken.None);
        return w.Elapsed.TotalSeconds;
    }
    Ffmpeg(); Ours(); // warm-up: both read the source from the page cache after this
    var f = new List<double>();
    var o = new List<double>();
    for (var i = 0; i < runs; i++) { f.Add(Ffmpeg()); o.Add(Ours()); }
    var same = File.ReadAllBytes(ffmpegOut).AsSpan().SequenceEqual(File.ReadAllBytes(oursOut));
    var size = new FileInfo(big).Length;
    var outSize = new FileInfo(oursOut).Length;
    var (fm, om) = (Median(f), Median(o));
    rows.Add($"| {name} | {size / 1e6:0} MB | {outSize / 1e6:0.0} MB | {fm:0.000} s | {om:0.000} s | {om / fm:0.00} | {(om / fm <= 1.5 ? "yes" : "no")} | {(same ? "yes" : "NO")} |");
    rows.Add($"|  | raw | | {string.Join(", ", f.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture)))} | {string.Join(", ", o.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture)))} | | | |");
    File.Delete(ffmpegOut); File.Delete(oursOut);
    Console.WriteLine(rows[^2]);
}

var md = new StringBuilder();
md.AppendLine("# Audio track extraction: managed against ffmpeg");
md.AppendLine();
md.AppendLine($"Made by `dotnet run -c Release --project bench/NemoVideo.ExtractBench` on {started:yyyy-MM-dd HH:mm} UTC, in {(DateTime.UtcNow - started).TotalMinutes:0.0} minutes.");
md.AppendLine();
md.AppendLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {Run("ffmpeg", new[] { "-version" }).Split('\n')[0].Trim()}.");
md.AppendLine();
md.AppendLine("Sources: a 20 s clip (1920x1080 30 fps H.264 at 8 Mb/s, AAC-LC 160 kb/s stereo 48 kHz) looped 50 times without re-encoding:");
md.AppendLine();
md.AppendLine("```");
md.AppendLine("ffmpeg -f lavfi -i testsrc2=size=1920x1080:rate=30 -f lavfi -i \"aevalsrc='0.4*sin(2*PI*440*t)+0.1*random(0)':s=48000:c=stereo\" -t 20 -c:v libx264 -preset ultrafast -b:v 8M -c:a aac -ac 2 -b:a 160k clip.mkv");
md.AppendLine("ffmpeg -i clip.mkv -c copy clip.mp4");
md.AppendLine("ffmpeg -stream_loop 49 -i clip.mkv -c copy big.mkv");
md.AppendLine("ffmpeg -stream_loop 49 -i clip.mp4 -c copy big.mp4");
md.AppendLine("```");
md.AppendLine();
md.AppendLine("Timed (wall clock, both writing to /dev/shm, after a warm-up of each side so the source is in the page cache; the runs alternate):");
md.AppendLine();
md.AppendLine("```");
foreach (var c in commands) md.AppendLine(c.Replace(dir + "/", "").Replace(outDir + "/", ""));
md.AppendLine("AudioTrackExtraction.TryPlan(big, 0, out _).Extract(file, null, ct)   // in-process, plan included");
md.AppendLine("```");
md.AppendLine();
md.AppendLine($"| Source | Size | Output | ffmpeg (median of {runs}) | managed (median of {runs}) | Ratio | ≤ 1.5× | Same bytes |");
md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (var r in rows) md.AppendLine(r);
md.AppendLine();
md.AppendLine("ffmpeg is timed as a process, as a script would run it (its start-up is included); the managed side runs in this process.");
var results = Path.Combine(FindRepo(), "bench", "RESULTS.extract.md");
File.WriteAllText(results, md.ToString());
Console.WriteLine("wrote " + results);

string? Arg(string name) { var i = Array.IndexOf(args, name); return i >= 0 && i + 1 < args.Length ? args[i + 1] : null; }

static double Median(List<double> v) { var s = v.OrderBy(x => x).ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }

void Make(string path, params string[] a)
{
    if (File.Exists(path)) return;
    var temp = path + ".tmp" + Path.GetExtension(path);
    Run("ffmpeg", new[] { "-v", "error", "-y" }.Concat(a).Append(temp).ToArray());
    File.Move(temp, path);
}

static string Run(string exe, string[] a)
{
    var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var x in a) psi.ArgumentList.Add(x);
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    var output = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{exe} failed: {err.Result}");
    return output;
}

static string FindRepo()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d != null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "NemoVideo.sln"))) return d.FullName;
    return Directory.GetCurrentDirectory();
}
