using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Bench;

/// <summary>
/// Files the size users have: what an MP3 job sends (its audio track against the whole file) and how long it takes at a
/// modelled 20 Mbit/s uplink, for a 450 MB recording and an hour's (1.36 GB); what taking the audio out costs (the job's
/// ffmpeg take-out, the managed reader, ffmpeg by hand); and a video over the 500 MB limit compressed in parts end to end.
/// The recordings are made as users are told to: a short clip looped without re-encoding, kept in a folder for reruns.
/// </summary>
internal static class BigFilesBench
{
    private const string Group = "Big files";
    private const double UplinkMbps = 20;

    public static async Task RunAsync(Results results, string work, string dir, int runs)
    {
        Directory.CreateDirectory(dir);
        var loadBefore = LoadAverage();
        var made = Stopwatch.StartNew();
        var src = await SourcesAsync(dir);
        results.Note($"Big files: sources made or found in {dir} in {made.Elapsed.TotalSeconds:0} s. {src.Describe}");
        var scratch = Directory.CreateDirectory(Path.Combine(work, "scratch")).FullName;

        // 1. MP3 at 128 kbps through the cloud at a modelled 20 Mbit/s: the audio track against the whole file.
        var audio450 = await Mp3JobAsync(work, scratch, src.Rec450, whole: false);
        var whole450 = await Mp3JobAsync(work, scratch, src.Rec450, whole: true);
        var size450 = new FileInfo(src.Rec450).Length;
        results.Add(new Row(Group, $"450 MB recording ({Mb(size450)}), MP3 128k at {UplinkMbps} Mbit/s: bytes sent, audio only vs whole file",
            Mb(audio450.Sent), Mb(whole450.Sent) + " (whole file)", audio450.Sent / (double)whole450.Sent, "–", null,
            $"audio only: {audio450.Sent} bytes stored ({audio450.Paced} multipart bytes through the uplink), sent as {audio450.SentAs}; whole: {whole450.Sent} bytes stored ({whole450.Paced} through the uplink)"));
        results.Add(new Row(Group, $"450 MB recording, MP3 128k at {UplinkMbps} Mbit/s: wall time of the whole job (s), audio only vs whole file",
            S(audio450.Seconds), S(whole450.Seconds) + " (whole file)", audio450.Seconds / whole450.Seconds, "–", null,
            $"audio only: {audio450.Phases}; whole: {whole450.Phases}; MP3s {audio450.OutputBytes} and {whole450.OutputBytes} bytes"));

        var audioHour = await Mp3JobAsync(work, scratch, src.Hour, whole: false);
        var wholeHour = await Mp3JobAsync(work, scratch, src.Hour, whole: true);
        var sizeHour = new FileInfo(src.Hour).Length;
        var computed = sizeHour * 8 / (UplinkMbps * 1e6);
        results.Add(new Row(Group, $"hour's recording ({Mb(sizeHour)}), MP3 128k at {UplinkMbps} Mbit/s: bytes sent, audio only vs whole file",
            Mb(audioHour.Sent), wholeHour.Refused != null ? $"refused, nothing sent ({Mb(wholeHour.Sent)})" : Mb(wholeHour.Sent),
            audioHour.Sent / (double)sizeHour, "–", null,
            $"audio only: {audioHour.Sent} bytes stored ({audioHour.Paced} through the uplink), sent as {audioHour.SentAs}; ratio against the file's {sizeHour} bytes. "
            + $"SendWholeFile: {(wholeHour.Refused is string why ? "refused before sending: \"" + why + "\"" : "NOT refused")}"));
        results.Add(new Row(Group, $"hour's recording, MP3 128k at {UplinkMbps} Mbit/s: wall time of the whole job (s), audio only vs whole file",
            S(audioHour.Seconds), $"{S(computed, "0")} computed, refused", audioHour.Seconds / computed, "–", null,
            $"audio only: {audioHour.Phases}; MP3 {audioHour.OutputBytes} bytes. Whole file: COMPUTED, not measured: {sizeHour} bytes × 8 / {UplinkMbps} Mbit/s = {S(computed, "0")} s of upload alone "
            + $"(the service takes at most 500 MB a file, so it is refused; the module refused it in {S(wholeHour.Seconds)} s)"));

        // 2. Taking the audio out of the hour (MKV, and the same streams in MOV).
        var tools = FfmpegTools.Locate();
        var outDir = Directory.Exists("/dev/shm") ? "/dev/shm" : work;
        foreach (var source in new[] { src.Hour, src.HourMov })
            await ExtractionAsync(results, tools, source, outDir, runs);

        // 3. A video over the limit compressed in parts, end to end, at 20 Mbit/s and unlimited.
        foreach (var mbps in new double?[] { UplinkMbps, null })
            await InPartsAsync(results, work, scratch, src.Over, src.OverTarget, mbps);

        var loadAfter = LoadAverage();
        results.Note($"Big files: load average (1, 5, 15 min) before the group {loadBefore}, after it {loadAfter}, on {Environment.ProcessorCount} cores shared with other work; "
            + "the emulator renders with real ffmpeg on the same cores as the client (the real service renders elsewhere), so wall times with renders in them are pessimistic.");
        results.Note("Big files: bytes sent are the emulator's stored uploads (each file's bytes as received, what Store.Uploads reports); 'through the uplink' is the multipart body the modelled uplink paced. "
            + "Each job runs against a fresh emulator, so these count that job's uploads only.");
    }

    // ---------- sources ----------

    private sealed record Sources(string Rec450, string Hour, string HourMov, string Over, FileSize OverTarget, string Describe);

    private static async Task<Sources> SourcesAsync(string dir)
    {
        var speech = Path.Combine(dir, "speech.wav");
        var haveEspeak = File.Exists("/usr/bin/espeak-ng") || Which("espeak-ng") != null;
        if (!File.Exists(speech))
        {
            if (haveEspeak)
                await Harness.RunAsync("espeak-ng", new[] { "-v", "en-us", "-s", "155", "-w", speech + ".tmp.wav",
                    "Welcome to this webinar. Today we look at how a recording gets from your machine to the service, and what it costs to send it. "
                    + "The picture is large and the voice is small: an hour of video is more than a gigabyte, and its audio is about fifty megabytes. "
                    + "If all you want is the sound, there is no need to send the picture at all. Questions are welcome at the end of the session." });
            else
                await Harness.RunAsync("ffmpeg", new[] { "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000", "-t", "60", speech + ".tmp.wav" });
            File.Move(speech + ".tmp.wav", speech);
        }
        // As OBS records a webinar: 640x360 30 fps H.264 at about 3 Mbit/s (CBR, keyframe every 250 frames), AAC 128k stereo 48 kHz, MKV.
        var clip360 = await MakeAsync(Path.Combine(dir, "clip-360p.mkv"), "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30,noise=alls=12:allf=t",
            "-stream_loop", "-1", "-i", speech, "-t", "60", "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2900k", "-minrate", "2900k", "-maxrate", "2900k", "-bufsize", "2900k", "-x264-params", "nal-hrd=cbr", "-g", "250",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000");
        var rec450 = await MakeAsync(Path.Combine(dir, "recording-20min.mkv"), "-stream_loop", "19", "-i", clip360, "-map", "0", "-c", "copy");
        var hour = await MakeAsync(Path.Combine(dir, "recording-60min.mkv"), "-stream_loop", "59", "-i", clip360, "-map", "0", "-c", "copy");
        var hourMov = await MakeAsync(Path.Combine(dir, "recording-60min.mov"), "-i", hour, "-map", "0", "-c", "copy");
        // Over the limit: 720p at 16 Mbit/s (a screen or camera recording at a high bitrate), 5 minutes, about 600 MB.
        var clip720 = await MakeAsync(Path.Combine(dir, "clip-720p.mkv"), "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30,noise=alls=12:allf=t",
            "-stream_loop", "-1", "-i", speech, "-t", "60", "-map", "0:v", "-map", "1:a",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "16M", "-minrate", "16M", "-maxrate", "16M", "-bufsize", "16M", "-x264-params", "nal-hrd=cbr", "-g", "250",
            "-c:a", "aac", "-b:a", "128k", "-ac", "2", "-ar", "48000");
        var over = await MakeAsync(Path.Combine(dir, "recording-720p-5min.mkv"), "-stream_loop", "4", "-i", clip720, "-map", "0", "-c", "copy");

        var lines = new List<string>();
        foreach (var f in new[] { rec450, hour, hourMov, over })
        {
            var (v, a) = await LengthsAsync(f);
            lines.Add($"{Path.GetFileName(f)} {Mb(new FileInfo(f).Length)} ({new FileInfo(f).Length} bytes), video {S(v, "0.00")} s, audio {S(a, "0.00")} s");
        }
        var describe = $"Audio: {(haveEspeak ? "espeak-ng speech (en-us), looped to 60 s" : "a 220 Hz sine (espeak-ng not installed)")}. "
            + "Clips: 60 s of testsrc2 with temporal noise, libx264 veryfast CBR (nal-hrd=cbr, -g 250), AAC 128k stereo 48 kHz, Matroska — 640x360 30 fps at 2900 kbps, and 1280x720 30 fps at 16 Mbps; "
            + "looped with `ffmpeg -stream_loop N -i clip -map 0 -c copy` (20 and 60 loops of the 360p clip, 5 of the 720p), the MOV by `ffmpeg -i recording-60min.mkv -map 0 -c copy`. "
            + string.Join("; ", lines) + ".";
        return new Sources(rec450, hour, hourMov, over, FileSize.Parse("60MB"), describe);
    }

    private static async Task<string> MakeAsync(string path, params string[] args)
    {
        if (File.Exists(path)) return path;
        var temp = path + ".tmp" + Path.GetExtension(path);
        Console.WriteLine($"[Big files] making {Path.GetFileName(path)}");
        await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y" }.Concat(args).Append(temp));
        File.Move(temp, path);
        return path;
    }

    // ---------- 1. MP3 jobs ----------

    private sealed record Mp3Run(double Seconds, long Sent, long Paced, string SentAs, long OutputBytes, string? Refused, string Phases);

    private static async Task<Mp3Run> Mp3JobAsync(string work, string scratch, string source, bool whole)
    {
        await using var emulator = await EmulatorProcess.StartAsync("--upload-mbps", Harness.F(UplinkMbps, "0.###"));
        using var client = TransferBench.Client(emulator.BaseUri, work);
        var cloud = new CloudJob(client) { ScratchRoot = scratch };
        var output = Path.Combine(work, "bigfiles.mp3");
        var clock = new Clock();
        string? refused = null;
        JobResult? result = null;
        try { result = await cloud.RunAsync(new Mp3Request(source, output, 128) { SendWholeFile = whole, Overwrite = true }, clock); }
        catch (MediaInputException e) when (e.Problem == InputProblem.TooLarge) { refused = e.Message; }
        var seconds = clock.Elapsed;
        var (sent, names) = Uploaded(emulator);
        var paced = await PacedBytesAsync(emulator);
        var outBytes = result?.Output.Length ?? 0;
        if (File.Exists(output)) File.Delete(output);
        var phases = clock.Mp3Phases();
        Console.WriteLine($"[Big files] MP3 {Path.GetFileName(source)} {(whole ? "whole" : "audio")}: {S(seconds)} s, sent {sent} ({names}); {phases}{(refused != null ? "; refused: " + refused : "")}");
        return new Mp3Run(seconds, sent, paced, names, outBytes, refused, phases);
    }

    // ---------- 2. taking the audio out ----------

    private static async Task ExtractionAsync(Results results, FfmpegTools tools, string source, string outDir, int runs)
    {
        var name = Path.GetFileName(source);
        var takeOutPath = Path.Combine(outDir, $"nemo-bigfiles-{Environment.ProcessId}-takeout.m4a");
        var handPath = Path.Combine(outDir, $"nemo-bigfiles-{Environment.ProcessId}-hand.m4a");
        var managedPath = Path.Combine(outDir, $"nemo-bigfiles-{Environment.ProcessId}-managed.aac");
        var probeTimes = new List<double>();
        var description = "";

        async Task<double> TakeOut()
        {
            File.Delete(takeOutPath);
            var w = Stopwatch.StartNew();
            var info = await MediaProbe.ProbeAsync(tools, source); // as the job does before it takes the track out
            probeTimes.Add(w.Elapsed.TotalSeconds);
            var audio = info.AudioStreams[0];
            var how = AudioTakeOut.For(audio, info.Duration, NemoVideo.Api.MediaRules.MaxUploadBytes);
            description = how.Description;
            await how.RunAsync(tools, source, audio, info.Duration, takeOutPath, null, CancellationToken.None);
            return w.Elapsed.TotalSeconds;
        }
        async Task<double> ByHand() => await Harness.TimeAsync(() => Harness.RunAsync("ffmpeg",
            new[] { "-v", "error", "-y", "-i", source, "-map", "0:a:0", "-c", "copy", handPath }));
        Task<double> Managed()
        {
            File.Delete(managedPath);
            var w = Stopwatch.StartNew();
            var plan = AudioTrackExtraction.TryPlan(source, 0, out var whyNot) ?? throw new InvalidOperationException(whyNot);
            using (var file = new FileStream(managedPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                plan.Extract(file, null, CancellationToken.None);
            return Task.FromResult(w.Elapsed.TotalSeconds);
        }

        // A warm-up of each (the source is in the page cache after it), then the three alternate.
        await TakeOut(); await ByHand(); await Managed();
        probeTimes.Clear();
        var (t, h, m) = (new List<double>(), new List<double>(), new List<double>());
        for (var i = 0; i < runs; i++)
        {
            t.Add(await TakeOut());
            h.Add(await ByHand());
            m.Add(await Managed());
        }
        var (tm, hm, mm) = (Harness.Median(t), Harness.Median(h), Harness.Median(m));
        var sizes = $"outputs: take-out {new FileInfo(takeOutPath).Length} bytes (.m4a, {description}), by hand {new FileInfo(handPath).Length} bytes (.m4a), managed {new FileInfo(managedPath).Length} bytes (.aac, ADTS)";
        var (handV, handA) = await LengthsAsync(handPath);
        results.Add(new Row(Group, $"audio out of {name} ({Mb(new FileInfo(source).Length)}): managed AudioTrackExtraction vs ffmpeg by hand (s)",
            S(mm), S(hm) + " (`ffmpeg -i src -map 0:a:0 -c copy out.m4a`)", mm / hm, "≤ 1.5×", mm / hm <= 1.5,
            $"managed [{Harness.Raw(m)}]; by hand [{Harness.Raw(h)}]; {sizes}; by hand's audio {S(handA, "0.00")} s"));
        results.Add(new Row(Group, $"audio out of {name}: AudioTakeOut as the job runs it (ffprobe + ffmpeg) vs ffmpeg by hand (s)",
            S(tm), S(hm) + " (by hand)", tm / hm, "–", null,
            $"take-out [{Harness.Raw(t)}], of which ffprobe [{Harness.Raw(probeTimes)}]; by hand [{Harness.Raw(h)}]"));
        foreach (var p in new[] { takeOutPath, handPath, managedPath }) File.Delete(p);
    }

    // ---------- 3. compressed in parts ----------

    private static async Task InPartsAsync(Results results, string work, string scratch, string source, FileSize target, double? mbps)
    {
        await using var emulator = mbps is double m ? await EmulatorProcess.StartAsync("--upload-mbps", Harness.F(m, "0.###")) : await EmulatorProcess.StartAsync();
        using var client = TransferBench.Client(emulator.BaseUri, work);
        var cloud = new CloudJob(client) { ScratchRoot = scratch };
        var output = Path.Combine(work, "bigfiles-compressed.mp4");
        var clock = new Clock();
        var request = new CompressRequest(source, output, target, height: 360) { Overwrite = true };
        var edits = request.EditsNeeded();
        var result = await cloud.RunAsync(request, clock);
        var seconds = clock.Elapsed;
        var (sent, names) = Uploaded(emulator);
        var paced = await PacedBytesAsync(emulator);
        var bytes = result.Output.Length;
        var share = 100.0 * bytes / target.Bytes;
        var (video, audio) = await LengthsAsync(result.Output.FullName);
        var (srcVideo, srcAudio) = await LengthsAsync(source);
        var facts = result.Facts;
        var (split, parts, join, partLines) = clock.PartsPhases();
        var uplink = mbps is double r ? $"{Harness.F(r, "0")} Mbit/s" : "unlimited";
        var name = Path.GetFileName(source);
        results.Add(new Row(Group, $"{name} ({Mb(new FileInfo(source).Length)}) to {target} at 360p through the cloud in parts, uplink {uplink}: wall time (s)",
            S(seconds), $"split {S(split)} / parts {S(parts)} / join {S(join)}", parts / seconds, "–", null,
            $"ratio: the parts' share of the wall time; {edits} edits counted before; sent {sent} bytes stored ({paced} through the uplink): {names}; parts (upload / edit / render / download): {partLines}; "
            + $"before the split (probe, checks) {S(clock.First(s => s.Status.StartsWith("Splitting", StringComparison.Ordinal)) ?? 0)} s"));
        results.Add(new Row(Group, $"{name} to {target} in parts, uplink {uplink}: joined file's size over the target (%)",
            Harness.F(share, "0.0"), $"{bytes} bytes / {target.Bytes}", share / 100, "85–100 %", share is >= 85 and <= 100,
            $"joined file: video {S(video, "0.000")} s, audio {S(audio, "0.000")} s (source: video {S(srcVideo, "0.000")} s, audio {S(srcAudio, "0.000")} s); "
            + $"{facts?.Width}x{facts?.Height} {facts?.VideoCodec}, video {facts?.VideoBitrateKbps} kbps (asked {result.RequestedBitrateKbps}); warnings: {(result.Warnings.Count == 0 ? "none" : string.Join(" | ", result.Warnings))}"));
        File.Delete(output);
    }

    // ---------- helpers ----------

    /// <summary>Each progress report with the time it came, taken as it is reported (not posted to a thread).</summary>
    private sealed class Clock : IProgress<JobProgress>
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();
        private readonly List<(double At, JobStage Stage, string Status)> _events = new();

        public double Elapsed => _watch.Elapsed.TotalSeconds;

        public void Report(JobProgress value) { lock (_events) _events.Add((_watch.Elapsed.TotalSeconds, value.Stage, value.Status)); }

        public double? First(Func<(double At, JobStage Stage, string Status), bool> match)
        {
            lock (_events) foreach (var e in _events) if (match(e)) return e.At;
            return null;
        }

        public string Mp3Phases()
        {
            var end = Elapsed;
            var takeOut = First(e => e.Status.StartsWith("Taking the audio out", StringComparison.Ordinal));
            var upload = First(e => e.Stage == JobStage.Uploading);
            var agent = First(e => e.Stage == JobStage.AgentWorking);
            var render = First(e => e.Stage == JobStage.Rendering);
            var download = First(e => e.Stage == JobStage.Downloading);
            var parts = new List<string>();
            if (takeOut is double t && upload is double u0) parts.Add($"take-out {S(u0 - t)} s");
            if (upload is double u && agent is double a) parts.Add($"upload {S(a - u)} s");
            if (agent is double a2 && render is double r) parts.Add($"edit {S(r - a2)} s");
            if (render is double r2 && download is double d) parts.Add($"render {S(d - r2)} s");
            if (download is double d2) parts.Add($"download and finish {S(end - d2)} s");
            return parts.Count == 0 ? "no phases" : string.Join(", ", parts);
        }

        public (double Split, double Parts, double Join, string PartLines) PartsPhases()
        {
            var end = Elapsed;
            var split = First(e => e.Status.StartsWith("Splitting", StringComparison.Ordinal)) ?? 0;
            var send = First(e => e.Status.StartsWith("Sending ", StringComparison.Ordinal)) ?? split;
            var join = First(e => e.Status.StartsWith("Joining the", StringComparison.Ordinal)) ?? end;
            var byPart = new SortedDictionary<int, Dictionary<JobStage, (double First, double Last)>>();
            lock (_events)
                foreach (var e in _events)
                {
                    var match = Regex.Match(e.Status, @", part (\d+) of \d+: ");
                    if (!match.Success) continue;
                    var i = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                    if (!byPart.TryGetValue(i, out var stages)) byPart[i] = stages = new();
                    stages[e.Stage] = stages.TryGetValue(e.Stage, out var seen) ? (seen.First, e.At) : (e.At, e.At);
                }
            var lines = byPart.Select(p =>
            {
                double? At(JobStage s) => p.Value.TryGetValue(s, out var v) ? v.First : null;
                var (u, a, r, d, c) = (At(JobStage.Uploading), At(JobStage.AgentWorking), At(JobStage.Rendering), At(JobStage.Downloading), At(JobStage.Completed));
                string Span(double? from, double? to) => from is double f && to is double t ? S(t - f, "0.0") : "?";
                return $"part {p.Key} from {Span(send, u)} s: {Span(u, a)} / {Span(a, r)} / {Span(r, d)} / {Span(d, c)}";
            });
            return (send - split, join - send, end - join, string.Join("; ", lines));
        }
    }

    /// <summary>What the emulator stored of each upload, as Store.Uploads reports it: each file's bytes as received.</summary>
    private static (long Bytes, string Names) Uploaded(EmulatorProcess emulator)
    {
        var folder = Path.Combine(emulator.DataDirectory, "uploads");
        var files = Directory.Exists(folder) ? new DirectoryInfo(folder).GetFiles() : Array.Empty<FileInfo>();
        return (files.Sum(f => f.Length), files.Length == 0 ? "nothing" : string.Join(", ", files.OrderBy(f => f.Length).Select(f => $"{f.Extension} {f.Length}")));
    }

    private static async Task<long> PacedBytesAsync(EmulatorProcess emulator)
    {
        using var http = new HttpClient();
        var stats = JsonNode.Parse(await http.GetStringAsync(new Uri(emulator.BaseUri, "_emulator/stats")))!;
        return stats["uplink_bytes"]?.GetValue<long>() ?? 0;
    }

    /// <summary>The first video and first audio stream's lengths as ffprobe reads them (stream duration, else the format's).</summary>
    private static async Task<(double Video, double Audio)> LengthsAsync(string path)
    {
        var json = JsonNode.Parse(await Harness.RunAsync("ffprobe", new[] { "-v", "error", "-show_entries", "stream=codec_type,duration:stream_tags=DURATION:format=duration", "-of", "json", path }))!;
        double Parse(JsonNode? s)
        {
            if (s?["duration"]?.GetValue<string>() is string d && double.TryParse(d, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
            if (s?["tags"]?["DURATION"]?.GetValue<string>() is string t && TimeSpan.TryParse(t.Length > 16 ? t[..16] : t, CultureInfo.InvariantCulture, out var ts)) return ts.TotalSeconds;
            return double.NaN;
        }
        var streams = json["streams"]!.AsArray();
        var video = streams.FirstOrDefault(s => s?["codec_type"]?.GetValue<string>() == "video");
        var audio = streams.FirstOrDefault(s => s?["codec_type"]?.GetValue<string>() == "audio");
        return (video is null ? double.NaN : Parse(video), audio is null ? double.NaN : Parse(audio));
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? Which(string exe) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, exe)).FirstOrDefault(File.Exists);

    private static string Mb(long bytes) => Harness.F(bytes / 1e6, bytes < 10_000_000 ? "0.00" : "0") + " MB";

    private static string S(double seconds, string format = "0.0") => Harness.F(seconds, format);
}
