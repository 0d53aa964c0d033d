using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Bench;

/// <summary>Render-to-disk latency of the adaptive poller against fixed 10 s and 30 s polling, and batch speed-up.</summary>
internal static class JobBench
{
    /// <summary>
    /// Each poller follows renders of several lengths around 90 s (a fixed poller's overhead depends on how the
    /// render's length falls against its period, so one length alone would flatter or wrong it).
    /// </summary>
    public static async Task PollingAsync(Results results, string work, string clip, IReadOnlyList<int> renderSeconds)
    {
        var pollers = new (string Name, PollSchedule Schedule)[]
        {
            ("adaptive", new PollSchedule()),
            ("fixed 10 s", Fixed(10)),
            ("fixed 30 s", Fixed(30)),
        };
        var all = await Task.WhenAll(renderSeconds.Select(async seconds =>
        {
            await using var emulator = await EmulatorProcess.StartAsync("--min-render-seconds", seconds.ToString());
            using var client = TransferBench.Client(emulator.BaseUri, Path.Combine(work, "poll" + seconds));
            var session = await client.CreateSessionAsync();
            await client.UploadFilesAsync(session.SessionId, new[] { clip });
            await new AgentConversation(client).SendAsync(session.SessionId, "Extract the audio as MP3 at 128 kbps");
            var draft = (await client.GetStateAsync(session.SessionId)).Draft;
            var runs = await Task.WhenAll(pollers.Select(async p => (p.Name, Result: await OneAsync(client, session.SessionId, draft, p.Schedule, work))));
            return runs;
        }));
        var by = all.SelectMany(r => r).GroupBy(r => r.Name).ToDictionary(g => g.Key, g => g.Select(r => r.Result).ToList());
        double Overhead(string n) => Harness.Median(by[n].Select(x => x.Overhead));
        double Polls(string n) => Harness.Median(by[n].Select(x => (double)x.Polls));
        string Raw(string n) => $"overhead s [{Harness.Raw(by[n].Select(x => x.Overhead), "0.00")}], polls [{Harness.Raw(by[n].Select(x => (double)x.Polls), "0")}]";
        var lengths = string.Join("/", renderSeconds);

        var adaptive = Overhead("adaptive");
        results.Add(new Row("Job latency", $"render completed → file on disk, {lengths} s renders (s)", Harness.F(adaptive, "0.00"),
            Harness.F(Overhead("fixed 30 s"), "0.00") + " (fixed 30 s)", Overhead("fixed 30 s") / Math.Max(adaptive, 0.001),
            "median < 1 s", adaptive < 1, $"adaptive: {Raw("adaptive")}; fixed 10 s: {Raw("fixed 10 s")}; fixed 30 s: {Raw("fixed 30 s")} (renders of {lengths} s, in that order)"));
        results.Add(new Row("Job latency", $"status requests per render ({lengths} s)", Harness.F(Polls("adaptive"), "0"),
            Harness.F(Polls("fixed 10 s"), "0") + " (fixed 10 s)", Polls("adaptive") / Polls("fixed 10 s"), "≤ 2× the 10 s poller", Polls("adaptive") <= 2 * Polls("fixed 10 s"),
            $"fixed 10 s overhead median {Harness.F(Overhead("fixed 10 s"), "0.00")} s"));
    }

    private static PollSchedule Fixed(int seconds) => new()
    {
        First = TimeSpan.FromSeconds(seconds), Growth = 1, Min = TimeSpan.FromSeconds(seconds), Max = TimeSpan.FromSeconds(seconds),
    };

    private static async Task<(double Overhead, int Polls)> OneAsync(NemoApiClient client, string sessionId, System.Text.Json.JsonElement draft, PollSchedule schedule, string work)
    {
        var render = await client.SubmitRenderAsync(sessionId, draft, "mp3");
        var poller = new RenderPoller(client, schedule);
        var done = await poller.WaitAsync(render, TimeSpan.FromMinutes(10));
        var file = Path.Combine(work, render.Id + ".mp3");
        await client.DownloadRenderAsync(done, file, overwrite: true);
        var onDisk = DateTimeOffset.UtcNow;
        File.Delete(file);
        return ((onDisk - done.CompletedAt!.Value).TotalSeconds, poller.Polls);
    }

    public static async Task BatchAsync(Results results, string work, string clip, int files, int runs)
    {
        // Latency, not work: the agent thinks 2 s and each render takes 2 s, while the CPU work per file stays small.
        await using var emulator = await EmulatorProcess.StartAsync("--think-ms", "2000", "--min-render-seconds", "2");
        using var client = TransferBench.Client(emulator.BaseUri, work);
        var folder = Directory.CreateDirectory(Path.Combine(work, "batch")).FullName;
        var inputs = Enumerable.Range(0, files).Select(i => { var p = Path.Combine(folder, $"in{i}.mp4"); File.Copy(clip, p, true); return p; }).ToList();
        async Task<double> Batch(int throttle) => await Harness.TimeAsync(async () =>
        {
            var job = new CloudJob(client);
            await new BatchRunner(job.RunAsync, throttle).RunAsync(
                inputs.Select(i => (MediaJobRequest)new Mp3Request(i, Path.ChangeExtension(i, ".mp3"), 128) { Overwrite = true }).ToList(), new Quiet(), CancellationToken.None);
        });
        var (four, one) = await Harness.PairedAsync(runs, () => Batch(4), () => Batch(1));
        var speedup = Harness.Median(one) / Harness.Median(four);
        results.Add(new Row("Batch", $"{files} files, 2 s agent + 2 s render each: -ThrottleLimit 4 vs 1 (s)", Harness.F(Harness.Median(four), "0.0"),
            Harness.F(Harness.Median(one), "0.0") + " (throttle 1)", speedup, "≥ 3.5× faster", speedup >= 3.5, $"throttle 4 [{Harness.Raw(four, "0.0")}]; throttle 1 [{Harness.Raw(one, "0.0")}]"));
    }

    /// <summary>
    /// A nightly run: <paramref name="files"/> files at -ThrottleLimit 16 against 1, with 1 s of agent and 1 s of render
    /// latency each (the emulator in its own process), and the client's memory before, at its peak during, and after the wide run.
    /// </summary>
    public static async Task NightlyAsync(Results results, string work, string clip, int files)
    {
        await using var emulator = await EmulatorProcess.StartAsync("--think-ms", "1000", "--min-render-seconds", "1", "--anonymous-credits", "1000000");
        using var client = TransferBench.Client(emulator.BaseUri, work);
        var folder = Directory.CreateDirectory(Path.Combine(work, "nightly")).FullName;
        var inputs = Enumerable.Range(0, files).Select(i => { var p = Path.Combine(folder, $"in{i:000}.mp4"); File.Copy(clip, p, true); return p; }).ToList();
        var requests = inputs.Select(i => (MediaJobRequest)new Mp3Request(i, Path.ChangeExtension(i, ".mp3"), 128) { Overwrite = true }).ToList();
        async Task<double> Batch(int throttle) => await Harness.TimeAsync(() => new BatchRunner(new CloudJob(client).RunAsync, throttle).RunAsync(requests, new Quiet(), CancellationToken.None));

        await Batch(16); // warm-up: connections, JIT, the token
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var setBefore = Environment.WorkingSet;
        // The peak while 16 files are in flight, not only what is left after a collection: sampled every 50 ms.
        long peakSet = setBefore, peakHeap = heapBefore;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakSet = Math.Max(peakSet, Environment.WorkingSet);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(forceFullCollection: false));
                try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var wide = await Batch(16);
        sampling.Cancel();
        await sampler;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var setAfter = Environment.WorkingSet;
        var narrow = await Batch(1);
        var growth = (peakSet - setBefore) / 1048576.0;
        static string Mb(long bytes) => Harness.F(bytes / 1048576.0, "0.0");
        results.Add(new Row("Nightly", $"{files} files, 1 s agent + 1 s render each: -ThrottleLimit 16 vs 1 (s)", Harness.F(wide, "0.0"),
            Harness.F(narrow, "0.0") + " (throttle 1)", narrow / wide, "≥ 12× faster", narrow / wide >= 12, $"throttle 16 {Harness.F(wide, "0.0")} s; throttle 1 {Harness.F(narrow, "0.0")} s"));
        results.Add(new Row("Nightly", $"client memory during a {files}-file run at throttle 16: peak working-set growth (MB)", Harness.F(growth, "0.0"),
            Mb(setBefore) + " MB working set before", peakSet / (double)setBefore, "< 32 MB", growth < 32,
            $"working set {Mb(setBefore)} → peak {Mb(peakSet)} → {Mb(setAfter)} MB after; managed heap {Mb(heapBefore)} → peak {Mb(peakHeap)} → {Mb(heapAfter)} MB after a full collection"));
    }

    private sealed class Quiet : IBatchObserver
    {
        public void Started(int index) { }
        public void Progress(int index, JobProgress progress) { }
        public void Completed(int index, JobResult result) { }
        public void Failed(int index, Exception error) => throw new InvalidOperationException("A benchmark file failed: " + error.Message, error);
        public void Stopped(IReadOnlyList<int> indexes, NemoApiException cause) => throw new InvalidOperationException("Files were not converted", cause);
    }
}
