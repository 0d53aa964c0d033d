using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>What a made file is, judged against what was asked: a problem (it is not that), and things worth saying.</summary>
public sealed class OutputJudgement
{
    public OutputJudgement(string? problem, IReadOnlyList<string> warnings)
    {
        Problem = problem;
        Warnings = warnings;
    }

    /// <summary>Why the file is not what was asked (a video for an MP3, no video, the wrong height, far too large a bitrate, damaged); null when it is.</summary>
    public string? Problem { get; }
    /// <summary>Differences worth a warning that do not make the file wrong (another bitrate, another length than the source's).</summary>
    public IReadOnlyList<string> Warnings { get; }
}

/// <summary>
/// The rules every kind's results share, from their measured facts (<see cref="MediaInspector"/>): the same for the
/// cloud's renders and the local engine's files, so a result always reports what the file is. Each kind's own rules
/// are its <see cref="MediaJobRequest.Judge"/>.
/// </summary>
public static class OutputCheck
{
    /// <summary>A compressed video may overshoot the asked bitrate by this much before it counts as not compressed as asked.</summary>
    public const double BitrateOvershoot = 1.3;

    /// <summary>A warning when the made file's length differs from the source's by more than a second or 5 %.</summary>
    public static void CompareLength(string name, MediaFacts facts, TimeSpan? sourceDuration, ICollection<string> warnings)
    {
        if (sourceDuration is TimeSpan src && facts.Duration is TimeSpan got && Math.Abs((got - src).TotalSeconds) > Math.Max(1.0, src.TotalSeconds * 0.05))
            warnings.Add($"'{name}' is {Seconds(got)} long while its source is {Seconds(src)}.");
    }

    /// <summary>For a plain export (Invoke-NemoExport -Format): null when the file is whole media of the kind asked, else why not.</summary>
    public static string? ForFormat(string format, MediaFacts facts)
    {
        if (facts.Truncated) return $"The service returned a damaged file ({facts.Describe()})";
        return format switch
        {
            "mp3" when facts.Container != MediaContainer.Mp3 => $"The service returned {facts.Describe()} instead of an MP3",
            "wav" or "m4a" or "aac" when !facts.HasAudio => $"The service returned {facts.Describe()} instead of {format} audio",
            "mp4" or "mov" or "webm" when !facts.HasVideo => $"The service returned {facts.Describe()} instead of a {format} video",
            _ when facts.Container is MediaContainer.Unknown or MediaContainer.Other => $"The service returned {facts.Describe()}, not media",
            _ => null,
        };
    }

    /// <summary>The error for a render that is not what was asked and cannot be finished here. Names the render so what was paid for is not lost.</summary>
    public static NemoApiException WrongOutput(string problem, RenderJob render, string target) =>
        new(NemoErrorKind.WrongOutput,
            $"{problem.TrimEnd('.')}; nothing was written to '{target}'. The render is {render.Id}" + (render.OutputUrl is Uri url ? $" at {url.GetLeftPart(UriPartial.Path)}" : ""));

    /// <summary>Why the video is not in the codec asked (read from the sample entry), or null: H.265 must be tagged hvc1, which Apple and Windows players open.</summary>
    public static string? CodecProblem(VideoCodec codec, MediaFacts facts) => codec switch
    {
        VideoCodec.H265 when facts.VideoCodec != "hevc" => $"its video is {facts.VideoCodec ?? "of an unknown codec"}, not H.265 as asked",
        VideoCodec.H265 when facts.VideoCodecTag is string tag && tag != "hvc1" => $"its H.265 video is tagged {tag}, which Apple and Windows players do not open (hvc1 was asked)",
        VideoCodec.H264 when facts.VideoCodec != "h264" => $"its video is {facts.VideoCodec ?? "of an unknown codec"}, not H.264 as asked",
        _ => null,
    };

    /// <summary>Within 3 %, or the same MPEG-1 Layer III rate once rounded to the standard ones (LAME encodes 191 as 192).</summary>
    public static bool SameMp3Rate(int measured, int asked) =>
        Math.Abs(measured - asked) <= asked * 0.03 || Nearest(measured) == Nearest(asked);

    private static int Nearest(int kbps) => Mp3Request.StandardBitrates.OrderBy(r => Math.Abs(r - kbps)).First();

    internal static string Kbps(int? kbps) => kbps is int k ? k.ToString(CultureInfo.InvariantCulture) + " kbps" : "bitrate";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
