using System.Diagnostics;
using NemoVideo.Bench;

// dotnet run -c Release --project bench/NemoVideo.Bench [-- --quick] [--only upload,polling,batch,stream,local,podcast,verify,nightly,size,codec,bigfiles,loudness] [--out bench/RESULTS.md] [--dir /tmp/nemo-bigfiles-bench] [--before /tmp/loud-before]
if (args.Length > 0 && args[0] == "memprobe") return await TransferBench.MemProbeAsync(args);
if (args.Length > 0 && args[0] == "tokenprobe") return await TokenProbe.RunAsync(args);

var quick = args.Contains("--quick");
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
var only = (Arg("--only") ?? "upload,polling,batch,stream,local,podcast,verify,nightly").Split(',').ToHashSet();
var output = Arg("--out") ?? Path.Combine(FindRoot(), "bench", quick ? "RESULTS.quick.md" : "RESULTS.md");
var work = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-bench-" + Environment.ProcessId)).FullName;
var results = new Results();
var watch = Stopwatch.StartNew();
try
{
    var clip = Path.Combine(work, "clip.mp4");
    await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "3", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", clip });

    if (only.Contains("upload")) await TransferBench.RunAsync(results, work, quick ? 64L << 20 : 450L << 20, quick ? 3 : 5);
    if (only.Contains("stream")) await StreamBench.RunAsync(results, quick ? 20_000 : 200_000, quick ? 3 : 7);
    if (only.Contains("local")) await LocalBench.RunAsync(results, work, quick ? 1 : 10, quick ? 3 : 9);
    if (only.Contains("podcast")) await PodcastBench.RunAsync(results, work, quick ? 4 : 8, quick ? 3 : 7);
    if (only.Contains("batch")) await JobBench.BatchAsync(results, work, clip, 16, quick ? 1 : 3);
    if (only.Contains("nightly")) await JobBench.NightlyAsync(results, work, clip, quick ? 40 : 200);
    if (only.Contains("verify")) await VerifyBench.RunAsync(results, work, quick ? 3 : 9);
    if (only.Contains("size")) await SizeBench.RunAsync(results, work, quick ? 1 : 3);
    if (only.Contains("codec")) await SizeBench.CodecAsync(results, work);
    if (only.Contains("bigfiles")) await BigFilesBench.RunAsync(results, work, Arg("--dir") ?? Path.Combine(Path.GetTempPath(), "nemo-bigfiles-bench"), quick ? 3 : 5);
    if (only.Contains("loudness")) await LoudnessBench.RunAsync(results, work, Arg("--before"), quick ? 2 : 4, quick ? 1 : 3);
    if (only.Contains("polling")) await JobBench.PollingAsync(results, work, clip, quick ? new[] { 17, 23 } : new[] { 85, 92, 97 });
    results.Note("Upload/download: the 450 MiB file is uncompressed video in Matroska (valid media, so the emulator accepts it); both sides send the same bytes to the same endpoint, and the emulator writes them to disk either way.");
    results.Note("Memory: the peak working set of a fresh process of this harness that uploads one file, 450 MiB against 1 MiB; the difference is what the file's size costs.");
    results.Note("Job latency: every poller's renders run at the same time on one emulator, each render at least as long as stated; overhead is the time from the server's completedAt to the file being renamed into place.");
    results.Note("Local engine: 'by hand' is the ffmpeg command a person would type for the same result; the engine adds progress parsing, the check of the file from its bytes and the temporary-file rename, and for a video job an ffprobe call (an MP3 job asks the managed inspector instead).");
    results.Note("Podcast: the recording is 320x240 H.264 with speech-like stereo AAC, a title and three chapters; -Loudness measures the source decode-only (sample peak), encodes with the gain while a second ffmpeg measures the MP3 being written (true peak), on the other core.");
    var text = results.Markdown(Harness.Machine(), watch.Elapsed);
    File.WriteAllText(output, text);
    Console.WriteLine($"wrote {output}");
    return 0;
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "NemoVideo.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
