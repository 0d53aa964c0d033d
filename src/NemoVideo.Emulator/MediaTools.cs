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
            new[] { "-v", "error", "-show_entries", "format=duration,format_name:stream=codec_type,width,height,avg_frame_rate:stream_tags=language:stream_disposition=attached_pic", "-of", "json", path }, null, ct);
        if (code != 0) return null;
        using var doc = JsonDocument.Parse(stdout);
        double? duration = null;
        if (doc.RootElement.TryGetProperty("format", out var f) && f.TryGetProperty("duration", out var d)
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var dv)) duration = dv;
        // A raw ADTS stream has no length field: ffprobe guesses it from the first frames' bitrate (6% long for a
        // 5-second tone at 128k). Its frames each say how many samples they carry, so they are counted instead.
        if (f.ValueKind == JsonValueKind.Object && f.TryGetProperty("format_name", out var fmt) && fmt.GetString() == "aac"
            && AdtsDuration(path) is double counted) duration = counted;
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
                // A cover picture (an MP3's or M4A's artwork) is not a picture to show: the file stays audio.
                var cover = s.TryGetProperty("disposition", out var disp) && disp.TryGetProperty("attached_pic", out var ap) && ap.GetInt32() == 1;
                if (type == "video" && !video && !cover)
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

    private static readonly int[] AdtsRates = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };

    /// <summary>
    /// The length of a raw ADTS (.aac) stream from its frames: each header holds its sample-rate index, its length and
    /// how many 1024-sample blocks it carries. Skips a leading ID3v2 tag; null when the first frame is not ADTS. Stops
    /// at the first bytes that are not a frame (a trailing tag, a cut end).
    /// </summary>
    internal static double? AdtsDuration(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        Span<byte> h = stackalloc byte[10];
        if (f.ReadAtLeast(h, 10, throwOnEndOfStream: false) == 10 && h[0] == 'I' && h[1] == 'D' && h[2] == '3')
            f.Position = 10 + ((h[6] & 0x7F) << 21 | (h[7] & 0x7F) << 14 | (h[8] & 0x7F) << 7 | (h[9] & 0x7F)) + ((h[5] & 0x10) != 0 ? 10 : 0);
        else f.Position = 0;
        long samples = 0;
        var rate = 0;
        while (f.ReadAtLeast(h[..7], 7, throwOnEndOfStream: false) == 7)
        {
            if (h[0] != 0xFF || (h[1] & 0xF6) != 0xF0) break; // syncword 0xFFF, layer 00
            var index = (h[2] >> 2) & 0x0F;
            var length = (h[3] & 0x03) << 11 | h[4] << 3 | h[5] >> 5;
            if (index >= AdtsRates.Length || length < 7 || (rate != 0 && AdtsRates[index] != rate)) break;
            rate = AdtsRates[index];
            samples += ((h[6] & 0x03) + 1) * 1024L;
            f.Position += length - 7;
            if (f.Position > f.Length) { samples -= ((h[6] & 0x03) + 1) * 1024L; break; } // a cut last frame does not play
        }
        return rate == 0 ? null : samples / (double)rate;
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
