using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NemoVideo.Emulator;

/// <summary>What ffprobe says about a file.</summary>
internal sealed record MediaInfo(double? Duration, int? Width, int? Height, double? Fps, int AudioStreams, bool HasVideo, IReadOnlyList<string?> AudioLanguages);

/// <summary>ffprobe and ffmpeg, run as processes, for probing uploads and rendering exports.</summary>
internal sealed class MediaTools
{
    private readonly EmulatorOptions _options;

    public MediaTools(EmulatorOptions options) => _options = options;

    public async Task<MediaInfo?> ProbeAsync(string path, CancellationToken ct)
    {
        var (code, stdout, _) = await RunAsync(_options.FfprobePath,
            new[] { "-v", "error", "-show_entries", "format=duration:stream=codec_type,width,height,avg_frame_rate:stream_tags=language", "-of", "json", path }, null, ct);
        if (code != 0) return null;
        using var doc = JsonDocument.Parse(stdout);
        double? duration = null;
        if (doc.RootElement.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var dv)) duration = dv;
        int? width = null, height = null; double? fps = null; var audio = 0; var video = false;
        var languages = new List<string?>();
        if (doc.RootElement.TryGetProperty("streams", out var streams))
            foreach (var s in streams.EnumerateArray())
            {
                var type = s.TryGetProperty("codec_type", out var t) ? t.GetString() : null;
                if (type == "audio")
                {
                    audio++;
                    languages.Add(s.TryGetProperty("tags", out var tags) && tags.TryGetProperty("language", out var lang) ? lang.GetString() : null);
                }
                if (type == "video" && !video)
                {
                    video = true;
                    width = s.TryGetProperty("width", out var w) ? w.GetInt32() : null;
                    height = s.TryGetProperty("height", out var h) ? h.GetInt32() : null;
                    if (s.TryGetProperty("avg_frame_rate", out var r) && r.GetString() is string rate && rate.Contains('/'))
                    {
                        var parts = rate.Split('/');
                        if (double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var dd) && dd > 0) fps = Math.Round(n / dd, 3);
                    }
                }
            }
        if (duration == null && audio == 0 && !video) return null;
        return new MediaInfo(duration, width, height, fps, audio, video, languages);
    }

    /// <summary>Runs ffmpeg with -progress, reporting the share of <paramref name="duration"/> done; kills it on cancel.</summary>
    public async Task<(int Code, string Errors)> RenderAsync(IReadOnlyList<string> args, double? duration, Action<double> progress, CancellationToken ct)
    {
        var all = new List<string> { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };
        all.AddRange(args);
        var (code, _, stderr) = await RunAsync(_options.FfmpegPath, all, line =>
        {
            if (duration is double total && total > 0 && line.StartsWith("out_time_us=", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(12), out var us))
                progress(Math.Clamp(us / 1e6 / total, 0, 1));
        }, ct);
        return (code, stderr);
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string exe, IEnumerable<string> args, Action<string>? onLine, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = new Process { StartInfo = psi };
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data == null) return; lock (stdout) stdout.AppendLine(e.Data); onLine?.Invoke(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            await p.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        p.WaitForExit(); // drains the output events
        return (p.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
