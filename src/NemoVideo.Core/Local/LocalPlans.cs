using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Local;

/// <summary>The ffmpeg runs a job needs.</summary>
internal sealed class LocalPlan
{
    public LocalPlan(IReadOnlyList<IReadOnlyList<string>> passes, int? bitrateKbps, bool streamCopied)
    {
        Passes = passes;
        BitrateKbps = bitrateKbps;
        StreamCopied = streamCopied;
    }

    public IReadOnlyList<IReadOnlyList<string>> Passes { get; }
    public int? BitrateKbps { get; }
    public bool StreamCopied { get; }
}

/// <summary>Turns a request and what the probe found into ffmpeg arguments (exposed for the benchmark and tests).</summary>
public static class LocalPlans
{
    private static readonly string[] Common = { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };

    /// <summary>
    /// The copy a request may turn out to be, before the probe has said so: the track by number (or the first),
    /// kept as it is. Null when the request asks for something a copy cannot give.
    /// </summary>
    internal static IReadOnlyList<string>? SpeculativeCopy(Mp3Request r, string source, string output) =>
        !r.Encoding.IsDefault || r.AudioLanguage is not null || r.Loudness is not null ? null : CopyArgs(source, (r.AudioTrack ?? 1) - 1, output);

    private static List<string> CopyArgs(string source, int typeIndex, string output) => Mp3Args(source, typeIndex, new[] { "-c:a", "copy" }, output);

    /// <summary>
    /// One audio track to an MP3 file; title, artist and the rest go over into ID3v2.3 tags, which every player reads.
    /// <paramref name="alsoToStdout"/>: the same MP3 goes to standard output too (ffmpeg's tee muxer), for a meter to
    /// read while it is made; progress then goes to stderr.
    /// </summary>
    private static List<string> Mp3Args(string source, int typeIndex, IEnumerable<string> codec, string output, bool alsoToStdout = false)
    {
        var args = new List<string>(Common) { "-i", source, "-map", "0:a:" + typeIndex.ToString(CultureInfo.InvariantCulture), "-vn", "-sn", "-dn" };
        if (alsoToStdout) args[args.IndexOf("pipe:1")] = "pipe:2";
        args.AddRange(codec);
        args.AddRange(alsoToStdout
            ? new[] { "-map_metadata", "0", "-f", "tee", "[f=mp3:id3v2_version=3]" + TeeEscape(output) + "|[f=mp3]pipe:1" }
            : new[] { "-map_metadata", "0", "-id3v2_version", "3", "-f", "mp3", output });
        return args;
    }

    /// <summary>A path as the tee muxer reads it: its delimiters and the escape character escaped (Windows' backslashes too).</summary>
    internal static string TeeEscape(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (c is '\\' or '|' or '[' or ']' or '\'') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>
    /// One audio track to MP3; with <c>audioFilter</c> (a loudness gain) the audio is always encoded, never copied, and
    /// with <c>alsoToStdout</c> also written to standard output for a meter.
    /// </summary>
    internal static LocalPlan Mp3(Mp3Request r, MediaInfo info, string output, string? audioFilter = null, bool alsoToStdout = false)
    {
        var audio = PickAudio(r, info);
        var copy = audio.Codec == "mp3" && r.Encoding.IsDefault && audioFilter is null;
        if (copy) return new LocalPlan(new[] { CopyArgs(info.Path, audio.TypeIndex, output) }, (int?)(audio.BitRate / 1000), true);
        var codec = new List<string>();
        if (audioFilter != null) codec.AddRange(new[] { "-af", audioFilter });
        codec.AddRange(r.Encoding.EncodeKbps is int kbps
            ? new[] { "-c:a", "libmp3lame", "-b:a", kbps.ToString(CultureInfo.InvariantCulture) + "k" }
            : new[] { "-c:a", "libmp3lame", "-q:a", r.Encoding.VbrQuality!.Value.ToString(CultureInfo.InvariantCulture) });
        return new LocalPlan(new[] { Mp3Args(info.Path, audio.TypeIndex, codec, output, alsoToStdout) }, r.Encoding.EncodeKbps, false);
    }

    internal static LocalPlan Compress(CompressRequest r, MediaInfo info, string output, string passLog)
    {
        var video = info.Video ?? throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{Path.GetFileName(info.Path)}' has no video to compress", "video");
        var rate = r.VideoBitrateKbps.ToString(CultureInfo.InvariantCulture) + "k";
        var h265 = r.Codec == VideoCodec.H265;
        var videoArgs = new List<string> { "-map", "0:v:" + video.TypeIndex.ToString(CultureInfo.InvariantCulture), "-c:v", h265 ? "libx265" : "libx264", "-preset", "medium", "-b:v", rate, "-pix_fmt", "yuv420p" };
        if (h265) videoArgs.AddRange(new[] { "-tag:v", "hvc1" }); // hev1 (ffmpeg's default) is what Apple and Windows players refuse
        if (!r.TwoPass) videoArgs.AddRange(new[] { "-maxrate", rate, "-bufsize", (r.VideoBitrateKbps * 2).ToString(CultureInfo.InvariantCulture) + "k" });
        if (r.Height is int h && h != video.Height) videoArgs.AddRange(new[] { "-vf", "scale=-2:" + h.ToString(CultureInfo.InvariantCulture) });
        var audio = info.AudioStreams.FirstOrDefault();
        var audioArgs = audio is null ? new List<string> { "-an" }
            : r.AudioBitrateKbps is int akbps ? new List<string> { "-map", "0:a:0", "-c:a", "aac", "-b:a", akbps.ToString(CultureInfo.InvariantCulture) + "k" }
            : audio.Codec is "aac" or "mp3" ? new List<string> { "-map", "0:a:0", "-c:a", "copy" } // MP4 carries both as they are
            : new List<string> { "-map", "0:a:0", "-c:a", "aac", "-b:a", "160k" };
        var tail = new List<string> { "-map_metadata", "0", "-movflags", "+faststart", "-f", "mp4", output };

        var passes = new List<IReadOnlyList<string>>();
        if (r.TwoPass)
        {
            var nul = Path.DirectorySeparatorChar == '\\' ? "NUL" : "/dev/null";
            // Both passes must see the same frames: MP4's default constant rate would add one where the source's video starts late (x264 then crashes).
            videoArgs.AddRange(new[] { "-vsync", "passthrough" });
            var first = new List<string>(Common) { "-i", info.Path };
            first.AddRange(videoArgs);
            first.AddRange(h265 ? X265Pass(1, passLog) : new[] { "-pass", "1", "-passlogfile", passLog });
            first.AddRange(new[] { "-an", "-f", "null", nul });
            passes.Add(first);
            videoArgs.AddRange(h265 ? X265Pass(2, passLog) : new[] { "-pass", "2", "-passlogfile", passLog });
        }
        else if (h265) videoArgs.AddRange(new[] { "-x265-params", "log-level=error" });
        var last = new List<string>(Common) { "-i", info.Path };
        last.AddRange(videoArgs);
        last.AddRange(audioArgs);
        last.AddRange(tail);
        passes.Add(last);
        return new LocalPlan(passes, r.VideoBitrateKbps, false);
    }

    /// <summary>libx265 ignores ffmpeg's -pass: its own options say the pass, and the quoted stats path survives a drive letter's colon.</summary>
    private static string[] X265Pass(int pass, string passLog) =>
        new[] { "-x265-params", $"log-level=error:pass={pass.ToString(CultureInfo.InvariantCulture)}:stats='{passLog}.x265'" };

    /// <summary>What a target size's audio costs on this machine: AAC or MP3 of a known, modest bitrate is copied; anything else becomes AAC.</summary>
    internal static AudioCost TargetSizeAudio(MediaInfo info)
    {
        var audio = info.AudioStreams.FirstOrDefault();
        if (audio is null) return AudioCost.None;
        return audio.Codec is "aac" or "mp3" && audio.BitRate is long b && b > 0 && b <= 192_000
            ? AudioCost.Copied((int)Math.Ceiling(b / 1000.0)) : AudioCost.Encoded(SizeTarget.AudioKbps);
    }

    /// <summary>The audio track a request means, or the local engine's error saying which tracks there are.</summary>
    internal static MediaStream PickAudio(Mp3Request r, MediaInfo info)
    {
        var audio = info.AudioStreams;
        var name = Path.GetFileName(info.Path);
        if (audio.Count == 0)
            throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has no audio track: there is nothing to extract") { TrackCount = 0 };
        if (r.AudioTrack is int n)
            return n <= audio.Count ? audio[n - 1]
                : throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has {audio.Count} audio track(s); there is no track {n}") { TrackCount = audio.Count };
        if (r.AudioLanguage is string lang)
        {
            var match = audio.FirstOrDefault(a => a.Language != null && (string.Equals(a.Language, lang, StringComparison.OrdinalIgnoreCase)
                || (lang.Length == 2 && a.Language.StartsWith(lang, StringComparison.OrdinalIgnoreCase))));
            return match ?? throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has no audio track in '{lang}'",
                string.Join(", ", audio.Select((a, i) => $"{i + 1} ({a.Language ?? "no language tag"})"))) { TrackCount = audio.Count };
        }
        return audio[0];
    }
}
