using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace NemoVideo.Bench;

/// <summary>Medians of repeated runs after warm-ups, and the table they go into.</summary>
internal static class Harness
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>Runs each side once to warm up, then <paramref name="runs"/> times alternating A and B, so drift hits both.</summary>
    public static async Task<(List<double> A, List<double> B)> PairedAsync(int runs, Func<Task<double>> a, Func<Task<double>> b)
    {
        await a();
        await b();
        var ra = new List<double>();
        var rb = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            ra.Add(await a());
            rb.Add(await b());
        }
        return (ra, rb);
    }

    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>Runs a program, returning its exit code, stdout and stderr; throws when it fails.</summary>
    public static async Task<string> RunAsync(string exe, IEnumerable<string> args, bool check = true)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (check && p.ExitCode != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', psi.ArgumentList)} failed: {await stderr}");
        return await stdout;
    }

    public static string F(double v, string format = "0.000") => v.ToString(format, CultureInfo.InvariantCulture);

    public static string Raw(IEnumerable<double> values, string format = "0.000") => string.Join(", ", values.Select(v => F(v, format)));

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() : null;
        var mem = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal"))?.Split(':', 2)[1].Trim() : null;
        var ffmpeg = RunAsync("ffmpeg", new[] { "-version" }, check: false).Result.Split('\n')[0];
        var curl = RunAsync("curl", new[] { "--version" }, check: false).Result.Split('\n')[0];
        return new StringBuilder()
            .Append($"{Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), {mem ?? "unknown"} memory, ")
            .Append($"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}; {ffmpeg}; {curl}")
            .ToString();
    }
}

/// <summary>The emulator as a separate process, so its memory and CPU are not the client's.</summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseUri) { _process = process; BaseUri = baseUri; }

    public Uri BaseUri { get; }

    /// <summary>Where the emulator keeps its uploads (uploads/) and renders.</summary>
    public string DataDirectory => Path.Combine(Path.GetTempPath(), $"nemo-bench-{Environment.ProcessId}", "emulator-" + BaseUri.Port);

    public static async Task<EmulatorProcess> StartAsync(params string[] options)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "NemoVideo.Emulator.dll");
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var uri = new Uri($"http://127.0.0.1:{port}/");
        // Its uploads and renders go into a folder this harness deletes: a killed process cannot clean up after itself.
        var data = Path.Combine(Path.GetTempPath(), $"nemo-bench-{Environment.ProcessId}", "emulator-" + port);
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "--urls", uri.ToString().TrimEnd('/'), "--quiet", "--silent-rate", "0", "--think-ms", "0", "--anonymous-credits", "1000000", "--data-dir", data }.Concat(options))
            psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        using var http = new HttpClient();
        for (var i = 0; i < 300; i++)
        {
            try { await http.GetStringAsync(new Uri(uri, "_emulator/stats")); return new EmulatorProcess(process, uri); }
            catch (HttpRequestException) { await Task.Delay(100); }
        }
        process.Kill();
        throw new InvalidOperationException("The emulator did not start.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
        _process.Dispose();
        try { if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
