using NemoVideo.Jobs;
using NemoVideo.Media;

namespace NemoVideo.Local;

/// <summary>
/// A target size on the local engine: the bitrate worked out from ffprobe's length and the audio as it will be made,
/// then — when the first encode lands outside 85–100 % of the target — one corrected final pass (the first pass's
/// statistics still hold), and an error that says what came out when that misses too.
/// </summary>
internal static class TargetSizeEncode
{
    /// <summary>The request with its bitrate worked out, or the request itself when it is not a target size.</summary>
    public static MediaJobRequest Plan(MediaJobRequest request, MediaInfo info) =>
        request is CompressRequest { TargetSize: not null } sized && info.Video is MediaStream video
            ? SizeTarget.Plan(sized, info.Duration ?? TimeSpan.Zero, video.Height, LocalPlans.TargetSizeAudio(info))
            : request;

    /// <summary>The request and facts the result reports: as made, or after the one corrected pass; a miss after it is an error.</summary>
    public static async Task<(MediaJobRequest, MediaFacts)> CorrectAsync(MediaJobRequest request, MediaFacts facts, MediaInfo info, string temp, string passLog,
        Func<LocalPlan, Task> encode)
    {
        if (request is not CompressRequest { TargetSize: FileSize target } made || facts.Truncated) return (request, facts);
        if (SizeTarget.Corrected(made, facts) is CompressRequest again)
        {
            var plan = LocalPlans.Compress(again, info, temp, passLog);
            await encode(new LocalPlan(new[] { plan.Passes[plan.Passes.Count - 1] }, plan.BitrateKbps, false)).ConfigureAwait(false);
            (made, facts) = (again, MediaInspector.Inspect(temp));
        }
        if (SizeTarget.Miss(target, facts.Length) is string miss) throw SizeTarget.Missed(made, facts.Length, miss);
        return (made, facts);
    }
}
