using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

// In NemoVideo.Tests (not .Infrastructure) so that "Media." in any test finds this class before the core's NemoVideo.Media namespace.
namespace NemoVideo.Tests;

/// <summary>Test media made with ffmpeg's lavfi sources at test time (nothing binary is committed), and ffprobe to check results.</summary>
public static class Media
{
    // One folder for every run: made once, reused after (files are written under a unique name, then renamed).
    private static readonly string Folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName;
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>
    /// A clip with video and a 440 Hz tone, cached for the test run. With several audio tracks they differ in more than
    /// pitch: the first is stereo, the others mono, so a test can tell from the output which one came out.
    /// </summary>
    public static Task<string> ClipAsync(string extension = ".mp4", double seconds = 4, int height = 360, int audioTracks = 1) =>
        MakeAsync($"clip-{seconds}-{height}-{audioTracks}{(audioTracks > 1 ? "-mixed" : "")}{extension}", path =>
        {
            var width = height * 16 / 9 / 2 * 2;
            var args = new List<string> { "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=25" };
            for (var i = 0; i < audioTracks; i++) args.AddRange(new[] { "-f", "lavfi", "-i", $"sine=frequency={440 + 220 * i}:sample_rate=44100" });
            args.AddRange(new[] { "-t", seconds.ToString(CultureInfo.InvariantCulture), "-map", "0:v" });
            for (var i = 0; i < audioTracks; i++) args.AddRange(new[] { "-map", $"{i + 1}:a" });
            for (var i = 0; i < audioTracks; i++) args.AddRange(new[] { $"-ac:a:{i}", i == 0 ? "2" : "1" });
            args.AddRange(extension switch
            {
                ".webm" => new[] { "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-c:a", "libopus" },
                ".avi" => new[] { "-c:v", "mpeg4", "-c:a", "libmp3lame" },
                _ => new[] { "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac" },
            });
            args.Add(path);
            return args;
        });

    /// <summary>An .mkv whose audio is MP3 (for stream copy), of the given length.</summary>
    public static Task<string> Mp3AudioClipAsync(double seconds = 3, int kbps = 160) =>
        MakeAsync($"mp3audio-{seconds}-{kbps}.mkv", path => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100",
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "libmp3lame", "-b:a", kbps + "k",
            "-metadata", "title=Episode 12: Tests", "-metadata", "artist=NemoVideo", path,
        });

    /// <summary>An .mkv with two audio tracks tagged eng (3 s) and ger (2 s): the length tells which one was used.</summary>
    public static Task<string> TwoLanguageClipAsync() =>
        MakeAsync("two-languages.mkv", path => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3",
            "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000:duration=2",
            "-map", "0:v", "-map", "1:a", "-map", "2:a", "-c:v", "libx264", "-preset", "ultrafast", "-c:a:0", "aac", "-c:a:1", "libopus",
            "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=ger", path,
        });

    /// <summary>About 40 MB of uncompressed video with a tone: more than the socket buffers can swallow.</summary>
    public static Task<string> LargeClipAsync() =>
        MakeAsync("large-raw.mkv", path => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
            "-t", "15", "-c:v", "rawvideo", "-pix_fmt", "yuv420p", "-c:a", "pcm_s16le", path,
        });

    /// <summary>
    /// A recording over the service's 500 MB limit, as a phone or OBS makes them: about 570 MB, 32 s of 720p H.264 at
    /// some 140 Mbit/s with a 128 kbps AAC tone at 48 kHz, made as users are told to make big test files: an 8 s clip
    /// looped without re-encoding (<c>-stream_loop 3 -c:v copy</c>), its tone continuous. <paramref name="extension"/>: .mkv or .mov.
    /// </summary>
    public static async Task<string> RecordingOverTheLimitAsync(string extension = ".mkv")
    {
        var clip = await MakeAsync("dense-8s.mkv", path => new List<string>
        {
            "-f", "lavfi", "-i", "testsrc2=s=1280x720:r=25,noise=alls=40:allf=t+u", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-t", "8", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "12", "-g", "50", "-c:a", "aac", "-b:a", "128k", path,
        });
        // The tone is made once for the whole length, as a recording's sound is continuous: looped, the clip's own AAC
        // would carry its priming silence into every loop point.
        return await MakeAsync("over-the-limit" + extension, path => new List<string>
        {
            "-stream_loop", "3", "-i", clip, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
            "-map", "0:v", "-map", "1:a", "-c:v", "copy", "-c:a", "aac", "-b:a", "128k", "-shortest", path,
        });
    }

    /// <summary>The bytes of a file's audio track <paramref name="index"/> (its packets' payload, as ffprobe counts them).</summary>
    public static async Task<long> AudioTrackBytesAsync(string path, int index = 0)
    {
        var (code, stdout, err) = await RunAsync("ffprobe", new[] { "-v", "error", "-select_streams", $"a:{index}", "-show_entries", "packet=size", "-of", "csv=p=0", path });
        if (code != 0) throw new InvalidOperationException("ffprobe failed: " + err);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Sum(l => long.Parse(l.Trim().TrimEnd(','), CultureInfo.InvariantCulture));
    }

    /// <summary>A 300x300 JPEG (or PNG) picture, for covers.</summary>
    public static Task<string> PictureAsync(string extension = ".jpg", int size = 300) =>
        MakeAsync($"picture-{size}{extension}", path => new List<string> { "-f", "lavfi", "-i", $"testsrc2=size={size}x{size}", "-frames:v", "1", path });

    /// <summary>The chapters every podcast source carries: 0–4 s, 4–8.5 s, 8.5 s to the end (12 s).</summary>
    public static readonly (double Start, double End, string Title)[] PodcastChapters = { (0, 4, "Intro — Ünïcødé"), (4, 8.5, "The interview"), (8.5, 12, "Outro") };

    /// <summary>
    /// A 12-second recording as a podcaster has it: chapters, title/artist/date/comment tags and a cover (an attachment in
    /// Matroska, an attached picture in MP4). Quiet: speech-like bursts around −31 LUFS with clicks near −4 dBFS (a plain
    /// gain to −16 would clip them, so it needs limiting); loud: a dense tone mix around −10 LUFS peaking near 0 dBFS.
    /// </summary>
    public static async Task<string> PodcastSourceAsync(string extension = ".mkv", bool loud = false)
    {
        var cover = await PictureAsync();
        var meta = Path.Combine(Folder, "podcast-chapters-v1.txt");
        if (!File.Exists(meta))
        {
            var text = new System.Text.StringBuilder(";FFMETADATA1\ntitle=Episode 42: Loudness\nartist=The Nemo Cast\ndate=2026-11-30\ncomment=Recorded on a call\n");
            foreach (var (start, end, title) in PodcastChapters)
                text.Append(CultureInfo.InvariantCulture, $"[CHAPTER]\nTIMEBASE=1/1000\nSTART={start * 1000:0}\nEND={end * 1000:0}\ntitle={title}\n");
            var temp = meta + "." + Guid.NewGuid().ToString("N")[..8];
            await File.WriteAllTextAsync(temp, text.ToString());
            File.Move(temp, meta, overwrite: true);
        }
        var audio = loud
            ? "aevalsrc='0.55*sin(2*PI*220*t)+0.3*sin(2*PI*331*t)*(0.7+0.3*sin(2*PI*0.5*t))+0.12*sin(2*PI*1250*t)':s=44100:d=12"
            : "aevalsrc='0.05*sin(2*PI*220*t)*(0.5+0.5*sin(2*PI*0.7*t))*gt(sin(2*PI*1.3*t)\\,-0.2)+0.004*random(0)+0.6*lt(mod(t\\,5)\\,0.01)*sin(2*PI*1000*t)':s=44100:d=12";
        return await MakeAsync($"podcast-{(loud ? "loud" : "quiet")}-v1{extension}", path =>
        {
            var args = new List<string> { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-f", "lavfi", "-i", audio, "-i", meta };
            if (extension == ".mp4") args.AddRange(new[] { "-i", cover });
            args.AddRange(new[] { "-t", "12", "-map", "0:v", "-map", "1:a" });
            if (extension == ".mp4") args.AddRange(new[] { "-map", "3:v", "-c:v:1", "mjpeg", "-disposition:v:1", "attached_pic" });
            args.AddRange(new[] { "-map_metadata", "2", "-map_chapters", "2", "-c:v:0", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-b:a", "160k" });
            if (extension == ".mkv") args.AddRange(new[] { "-attach", cover, "-metadata:s:t", "mimetype=image/jpeg", "-metadata:s:t", "filename=cover.jpg" });
            args.Add(path);
            return args;
        });
    }

    /// <summary>Loudness as ffmpeg's ebur128 measures it, independent of the module's own meter.</summary>
    public static async Task<(double Integrated, double TruePeak)> LoudnessAsync(string path)
    {
        var (code, _, err) = await RunAsync("ffmpeg", new[] { "-hide_banner", "-nostats", "-i", path, "-map", "0:a:0", "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-" });
        if (code != 0) throw new InvalidOperationException("ffmpeg could not measure loudness: " + err);
        var i = System.Text.RegularExpressions.Regex.Match(err, @"Integrated loudness:\s*I:\s*(-?[\d.]+) LUFS");
        var tp = System.Text.RegularExpressions.Regex.Match(err, @"True peak:\s*Peak:\s*(-?[\d.]+) dBFS");
        return (double.Parse(i.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(tp.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>A video with no audio at all.</summary>
    public static Task<string> SilentClipAsync() =>
        MakeAsync("silent.mp4", path => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", path });

    /// <summary>A file made by ffmpeg with these arguments (the output path is given to <paramref name="arguments"/>), cached for the run.</summary>
    public static Task<string> MadeAsync(string name, Func<string, List<string>> arguments) => MakeAsync(name, arguments);

    private static async Task<string> MakeAsync(string name, Func<string, List<string>> arguments)
    {
        var path = Path.Combine(Folder, name);
        await Gate.WaitAsync();
        try
        {
            if (File.Exists(path)) return path;
            var temp = path + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp" + Path.GetExtension(path);
            var args = new List<string> { "-hide_banner", "-loglevel", "error", "-y" };
            args.AddRange(arguments(temp));
            var (code, _, err) = await RunAsync("ffmpeg", args);
            if (code != 0) throw new InvalidOperationException("ffmpeg failed making test media: " + err);
            try { File.Move(temp, path); }
            catch (IOException) when (File.Exists(path)) { File.Delete(temp); } // another test process made it meanwhile
            return path;
        }
        finally { Gate.Release(); }
    }

    /// <summary>What ffprobe says of a file's streams and format.</summary>
    public static async Task<ProbeResult> ProbeAsync(string path)
    {
        var (code, json, err) = await RunAsync("ffprobe", new[] { "-v", "error", "-show_entries", "format=duration,bit_rate:stream=codec_type,codec_name,bit_rate,width,height,duration", "-of", "json", path });
        if (code != 0) throw new InvalidOperationException("ffprobe failed: " + err);
        using var doc = JsonDocument.Parse(json);
        var streams = doc.RootElement.GetProperty("streams").EnumerateArray().Select(s => new ProbeStream(
            s.GetProperty("codec_type").GetString()!, s.GetProperty("codec_name").GetString()!,
            s.TryGetProperty("bit_rate", out var b) ? long.Parse(b.GetString()!, CultureInfo.InvariantCulture) : null,
            s.TryGetProperty("width", out var w) ? w.GetInt32() : null,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : null)).ToList();
        var format = doc.RootElement.GetProperty("format");
        return new ProbeResult(double.Parse(format.GetProperty("duration").GetString()!, CultureInfo.InvariantCulture), streams);
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout, await stderr);
    }
}

public sealed record ProbeStream(string Type, string Codec, long? BitRate, int? Width, int? Height);

public sealed record ProbeResult(double Duration, IReadOnlyList<ProbeStream> Streams)
{
    public ProbeStream Audio => Streams.First(s => s.Type == "audio");
    public ProbeStream Video => Streams.First(s => s.Type == "video");
}
