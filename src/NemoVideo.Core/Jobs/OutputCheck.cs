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
/// The rules a result must meet, from its measured facts (<see cref="MediaInspector"/>): the same for the cloud's
/// renders and the local engine's files, so a result always reports what the file is.
/// </summary>
public static class OutputCheck
{
    /// <summary>A compressed video may overshoot the asked bitrate by this much before it counts as not compressed as asked.</summary>
    public const double BitrateOvershoot = 1.3;

    public static OutputJudgement Judge(MediaJobRequest request, MediaFacts facts, TimeSpan? sourceDuration)
    {
        var warnings = new List<string>();
        var name = Path.GetFileName(request.OutputPath);
        string? problem = facts.Truncated ? $"the file is damaged ({facts.Describe()})" : null;
        if (problem is null && request is Mp3Request mp3)
        {
            if (facts.Container != MediaContainer.Mp3 || !facts.HasAudio) problem = $"it is {facts.Describe()}, not an MP3";
            else if (mp3.Encoding.VbrQuality is int q && facts.IsVbr == false)
                warnings.Add($"'{name}' is constant {Kbps(facts.AudioBitrateKbps)}, not variable bitrate V{q} as asked; it was kept as it is.");
            else if (mp3.Encoding.ConstantKbps is int asked && facts.AudioBitrateKbps is int measured && !SameMp3Rate(measured, asked))
                warnings.Add($"'{name}' is {(facts.IsVbr == true ? "variable bitrate averaging " : "")}{measured} kbps, not {asked} kbps as asked; it was kept as it is (re-encoding would not improve it).");
        }
        else if (problem is null && request is CompressRequest c)
        {
            if (!facts.HasVideo || facts.Container != MediaContainer.Mp4) problem = $"it is {facts.Describe()}, not an MP4 video";
            else if (c.Height is int h && facts.Height is int height && Math.Abs(height - h) > 1) problem = $"it is {height} lines high, not {h}p as asked";
            else if (CodecProblem(c.Codec, facts) is string codec) problem = codec;
            else if (c.TargetSize is FileSize target) problem = SizeTarget.Miss(target, facts.Length);
            else if (facts.VideoBitrateKbps is int v && v > c.VideoBitrateKbps * BitrateOvershoot)
                problem = $"its video runs at {v} kbps, far above the {c.VideoBitrateKbps} kbps asked";
            if (problem is null) warnings.AddRange(c.SizeWarnings);
        }
        if (problem is null && sourceDuration is TimeSpan src && facts.Duration is TimeSpan got
            && Math.Abs((got - src).TotalSeconds) > Math.Max(1.0, src.TotalSeconds * 0.05))
            warnings.Add($"'{name}' is {Seconds(got)} long while its source is {Seconds(src)}.");
        return new OutputJudgement(problem, warnings);
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

    /// <summary>The bitrate of the made file that a result reports: the audio of an MP3, the video of a compressed video.</summary>
    public static int? MeasuredKbps(MediaJobRequest request, MediaFacts facts) =>
        request is CompressRequest ? facts.VideoBitrateKbps : facts.AudioBitrateKbps;

    /// <summary>The bitrate asked for (the default one too), or null for VBR.</summary>
    public static int? RequestedKbps(MediaJobRequest request) => request switch
    {
        Mp3Request m => m.Encoding.EncodeKbps,
        CompressRequest c => c.VideoBitrateKbps,
        _ => null,
    };

    /// <summary>Within 3 %, or the same MPEG-1 Layer III rate once rounded to the standard ones (LAME encodes 191 as 192).</summary>
    public static bool SameMp3Rate(int measured, int asked) =>
        Math.Abs(measured - asked) <= asked * 0.03 || Nearest(measured) == Nearest(asked);

    private static int Nearest(int kbps) => Mp3Request.StandardBitrates.OrderBy(r => Math.Abs(r - kbps)).First();

    private static string Kbps(int? kbps) => kbps is int k ? k.ToString(CultureInfo.InvariantCulture) + " kbps" : "bitrate";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
