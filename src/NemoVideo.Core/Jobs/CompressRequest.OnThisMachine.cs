using System.Globalization;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// The compression kind on this machine: H.264 or H.265 at the bitrate asked, in one or two passes; a target size has
/// its bitrate worked out from ffprobe's length and the audio as it will be made, and — when the first encode lands
/// outside 85–100 % of the target — one corrected final pass (the first pass's statistics still hold), then an error
/// that says what came out when that misses too.
/// </summary>
public sealed partial class CompressRequest
{
    internal override Task<LocalPlan> PlanOnThisMachineAsync(JobContext job, CancellationToken ct)
    {
        var request = this;
        if (TargetSize is not null && job.Info!.Video is MediaStream video)
            job.Request = request = SizeTarget.Plan(this, job.Info.Duration ?? TimeSpan.Zero, video.Height, TargetSizeAudio(job.Info));
        return Task.FromResult(request.Plan(job.Info!, job.Output.TempPath, job.PassLog));
    }

    /// <summary>The file as made, or after the one corrected pass; a target size missed after it is an error.</summary>
    internal override async Task MeasureMadeAsync(JobContext job, LocalEncoder encoder, CancellationToken ct)
    {
        await base.MeasureMadeAsync(job, encoder, ct).ConfigureAwait(false);
        if (TargetSize is not FileSize target || job.Facts!.Truncated) return;
        var made = this;
        if (SizeTarget.Corrected(made, job.Facts) is CompressRequest again)
        {
            var plan = again.Plan(job.Info!, job.Output.TempPath, job.PassLog);
            await encoder.RunAsync(new LocalPlan(new[] { plan.Passes[plan.Passes.Count - 1] }, plan.BitrateKbps, false), (0, 1), ct).ConfigureAwait(false);
            job.Request = made = again;
            await base.MeasureMadeAsync(job, encoder, ct).ConfigureAwait(false);
        }
        if (SizeTarget.Miss(target, job.Facts!.Length) is string miss) throw SizeTarget.Missed(made, job.Facts.Length, miss);
    }

    /// <summary>The ffmpeg passes: the video at the bitrate (and height, and codec) asked, the audio copied where MP4 carries it as it is.</summary>
    internal LocalPlan Plan(MediaInfo info, string output, string passLog)
    {
        var video = info.Video ?? throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{Path.GetFileName(info.Path)}' has no video to compress", "video");
        var rate = VideoBitrateKbps.ToString(CultureInfo.InvariantCulture) + "k";
        var h265 = Codec == VideoCodec.H265;
        var videoArgs = new List<string> { "-map", "0:v:" + video.TypeIndex.ToString(CultureInfo.InvariantCulture), "-c:v", h265 ? "libx265" : "libx264", "-preset", "medium", "-b:v", rate, "-pix_fmt", "yuv420p" };
        if (h265) videoArgs.AddRange(new[] { "-tag:v", "hvc1" }); // hev1 (ffmpeg's default) is what Apple and Windows players refuse
        if (!TwoPass) videoArgs.AddRange(new[] { "-maxrate", rate, "-bufsize", (VideoBitrateKbps * 2).ToString(CultureInfo.InvariantCulture) + "k" });
        if (Height is int h && h != video.Height) videoArgs.AddRange(new[] { "-vf", "scale=-2:" + h.ToString(CultureInfo.InvariantCulture) });
        var audio = info.AudioStreams.FirstOrDefault();
        var audioArgs = audio is null ? new List<string> { "-an" }
            : AudioBitrateKbps is int akbps ? new List<string> { "-map", "0:a:0", "-c:a", "aac", "-b:a", akbps.ToString(CultureInfo.InvariantCulture) + "k" }
            : audio.Codec is "aac" or "mp3" ? new List<string> { "-map", "0:a:0", "-c:a", "copy" } // MP4 carries both as they are
            : new List<string> { "-map", "0:a:0", "-c:a", "aac", "-b:a", "160k" };
        var tail = new List<string> { "-map_metadata", "0", "-movflags", "+faststart", "-f", "mp4", output };

        var passes = new List<IReadOnlyList<string>>();
        if (TwoPass)
        {
            var nul = Path.DirectorySeparatorChar == '\\' ? "NUL" : "/dev/null";
            // Both passes must see the same frames: MP4's default constant rate would add one where the source's video starts late (x264 then crashes).
            videoArgs.AddRange(new[] { "-vsync", "passthrough" });
            var first = new List<string>(LocalEncoder.CommonArgs) { "-i", info.Path };
            first.AddRange(videoArgs);
            first.AddRange(h265 ? X265Pass(1, passLog) : new[] { "-pass", "1", "-passlogfile", passLog });
            first.AddRange(new[] { "-an", "-f", "null", nul });
            passes.Add(first);
            videoArgs.AddRange(h265 ? X265Pass(2, passLog) : new[] { "-pass", "2", "-passlogfile", passLog });
        }
        else if (h265) videoArgs.AddRange(new[] { "-x265-params", "log-level=error" });
        var last = new List<string>(LocalEncoder.CommonArgs) { "-i", info.Path };
        last.AddRange(videoArgs);
        last.AddRange(audioArgs);
        last.AddRange(tail);
        passes.Add(last);
        return new LocalPlan(passes, VideoBitrateKbps, false);
    }

    /// <summary>libx265 ignores ffmpeg's -pass: its own options say the pass, and the quoted stats path survives a drive letter's colon.</summary>
    private static string[] X265Pass(int pass, string passLog) =>
        new[] { "-x265-params", $"log-level=error:pass={pass.ToString(CultureInfo.InvariantCulture)}:stats='{passLog}.x265'" };

    /// <summary>What a target size's audio costs on this machine: AAC or MP3 of a known, modest bitrate is copied; anything else becomes AAC.</summary>
    private static AudioCost TargetSizeAudio(MediaInfo info)
    {
        var audio = info.AudioStreams.FirstOrDefault();
        if (audio is null) return AudioCost.None;
        return audio.Codec is "aac" or "mp3" && audio.BitRate is long b && b > 0 && b <= 192_000
            ? AudioCost.Copied((int)Math.Ceiling(b / 1000.0)) : AudioCost.Encoded(SizeTarget.AudioKbps);
    }
}
