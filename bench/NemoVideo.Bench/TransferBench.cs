using System.Diagnostics;
using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo.Bench;

/// <summary>Upload and download through the core against curl, and the client's memory for a large file.</summary>
internal static class TransferBench
{
    public static async Task RunAsync(Results results, string work, long bigBytes, int runs)
    {
        await using var emulator = await EmulatorProcess.StartAsync();
        var big = await RawVideoAsync(Path.Combine(work, "big.mkv"), bigBytes);
        var small = await RawVideoAsync(Path.Combine(work, "small.mkv"), 1L << 20);
        var mib = new FileInfo(big).Length / 1048576.0;

        using var client = Client(emulator.BaseUri, work);
        var session = await client.CreateSessionAsync();
        var token = client.Tokens.Current!.Value;
        var uploadUrl = new Uri(emulator.BaseUri, "api/upload-video/nemo_agent/me/" + session.SessionId);

        Uri? cdn = null;
        var (ours, curl) = await Harness.PairedAsync(runs,
            () => Harness.TimeAsync(async () => cdn = (await client.UploadFilesAsync(session.SessionId, new[] { big })).Files[0].CdnUrl),
            () => Harness.TimeAsync(() => Harness.RunAsync("curl", new[] { "-sS", "-f", "-o", "/dev/null", "-H", "Authorization: Bearer " + token,
                "-H", "X-Skill-Source: bench", "-H", "X-Skill-Version: 1", "-H", "X-Skill-Platform: bench", "-F", "files=@" + big, uploadUrl.ToString() })));
        results.Add(new Row("Upload", $"{mib:0} MiB throughput (MiB/s)", Harness.F(mib / Harness.Median(ours), "0"), Harness.F(mib / Harness.Median(curl), "0") + " (curl -F)",
            Harness.Median(curl) / Harness.Median(ours), "≥ 0.90", Harness.Median(curl) / Harness.Median(ours) >= 0.9,
            $"core seconds [{Harness.Raw(ours)}]; curl seconds [{Harness.Raw(curl)}]"));

        var bigPeak = await PeakMemoryAsync(emulator.BaseUri, token, session.SessionId, big);
        var smallPeak = await PeakMemoryAsync(emulator.BaseUri, token, session.SessionId, small);
        var extra = (bigPeak - smallPeak) / 1048576.0;
        results.Add(new Row("Upload", $"client peak memory, {mib:0} MiB vs 1 MiB file", Harness.F(bigPeak / 1048576.0, "0") + " MB", Harness.F(smallPeak / 1048576.0, "0") + " MB",
            bigPeak / (double)smallPeak, "≤ +64 MB", extra <= 64, $"difference {Harness.F(extra, "0.0")} MB (peak working set of a fresh process that uploads one file)"));

        // Both sides write to memory (/dev/shm where there is one): the disk's write-back noise is not the client's.
        var shm = Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace > 3 * bigBytes;
        var target = Path.Combine(shm ? "/dev/shm" : work, $"nemo-bench-down-{Environment.ProcessId}.mkv");
        var job = new RenderJob { Id = "bench", Status = RenderStatus.Completed, OutputUrl = cdn };
        // Each run starts with the disk settled (sync) and no old copy to overwrite, the same for both sides.
        (ours, curl) = await Harness.PairedAsync(runs,
            async () => { await Settle(target); return await Harness.TimeAsync(() => client.DownloadRenderAsync(job, target, overwrite: true)); },
            async () => { await Settle(target); return await Harness.TimeAsync(() => Harness.RunAsync("curl", new[] { "-sS", "-f", "-o", target, cdn!.ToString() })); });
        results.Add(new Row("Download", $"{mib:0} MiB throughput (MiB/s)", Harness.F(mib / Harness.Median(ours), "0"), Harness.F(mib / Harness.Median(curl), "0") + " (curl -o)",
            Harness.Median(curl) / Harness.Median(ours), "≥ 0.90", Harness.Median(curl) / Harness.Median(ours) >= 0.9,
            $"core seconds [{Harness.Raw(ours)}]; curl seconds [{Harness.Raw(curl)}]"));
        File.Delete(target);
        results.Note($"Download target: {(shm ? "/dev/shm (memory), for both sides" : "the work folder on disk")}.");
    }

    private static async Task Settle(string target)
    {
        if (File.Exists(target)) File.Delete(target);
        if (!OperatingSystem.IsWindows()) await Harness.RunAsync("sync", Array.Empty<string>(), check: false);
    }

    internal static NemoApiClient Client(Uri baseUri, string work, NemoToken? token = null)
    {
        var env = new NemoEnvironment(Path.Combine(work, "config"), _ => null);
        var options = new NemoClientOptions { BaseUri = baseUri, SkillVersion = "bench" };
        return new NemoApiClient(options, new TokenProvider(baseUri, env, token), env);
    }

    /// <summary>Uncompressed video in Matroska: valid media of any size, written by ffmpeg in seconds.</summary>
    internal static async Task<string> RawVideoAsync(string path, long bytes)
    {
        if (File.Exists(path)) return path;
        var frame = 320 * 240 * 3 / 2;
        var seconds = Math.Max(1, bytes / (frame * 25.0));
        await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
            "-t", Harness.F(seconds, "0.00"), "-c:v", "rawvideo", "-pix_fmt", "yuv420p", path });
        return path;
    }

    /// <summary>A fresh process of this program uploads the file and reports its peak working set.</summary>
    private static async Task<long> PeakMemoryAsync(Uri baseUri, string token, string sessionId, string file)
    {
        var self = Environment.ProcessPath!;
        var args = self.EndsWith("dotnet", StringComparison.Ordinal) || self.EndsWith("dotnet.exe", StringComparison.Ordinal)
            ? new[] { typeof(TransferBench).Assembly.Location } : Array.Empty<string>();
        var output = await Harness.RunAsync(self, args.Concat(new[] { "memprobe", baseUri.ToString(), token, sessionId, file }));
        return long.Parse(output.Trim().Split('\n').Last());
    }

    /// <summary>The child side of <see cref="PeakMemoryAsync"/>.</summary>
    public static async Task<int> MemProbeAsync(string[] args)
    {
        var work = Path.Combine(Path.GetTempPath(), "nemo-memprobe-" + Environment.ProcessId);
        try
        {
            using var client = Client(new Uri(args[1]), work, new NemoToken(args[2]));
            await client.UploadFilesAsync(args[3], new[] { args[4] });
            using var self = Process.GetCurrentProcess();
            self.Refresh();
            Console.WriteLine(self.PeakWorkingSet64);
            return 0;
        }
        finally { if (Directory.Exists(work)) Directory.Delete(work, true); }
    }
}
