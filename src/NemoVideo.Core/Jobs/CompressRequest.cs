using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>The video codec a compressed video is written in.</summary>
public enum VideoCodec
{
    /// <summary>H.264 (AVC): plays everywhere.</summary>
    H264,
    /// <summary>H.265 (HEVC), tagged hvc1 in MP4 so Apple and Windows players open it.</summary>
    H265,
}

/// <summary>
/// Re-encode a video at a target bitrate, or to a target file size, and optionally a lower resolution: the kind of job
/// behind Compress-NemoVideo. Its ffmpeg plan is in CompressRequest.OnThisMachine.cs; here is what is asked, how a
/// target size is worked out before the upload, how the result is judged, and its shape (<see cref="CompressResult"/>).
/// </summary>
public sealed partial class CompressRequest : MediaJobRequest<CompressResult>
{
    public const int MinBitrate = 100;
    public const int MaxBitrate = 200_000;

    public CompressRequest(string sourcePath, string outputPath, int videoBitrateKbps, int? height = null) : base(sourcePath, outputPath)
    {
        if (videoBitrateKbps < MinBitrate || videoBitrateKbps > MaxBitrate)
            throw new ArgumentOutOfRangeException(nameof(videoBitrateKbps), videoBitrateKbps, "The video bitrate must be between 100 kbps and 200 Mbps.");
        VideoBitrateKbps = videoBitrateKbps;
        Height = CheckHeight(height);
    }

    /// <summary>
    /// To a file size: the video bitrate is worked out from the source's measured length, the audio and the container's
    /// overhead once the source has been looked at (<see cref="SizeTarget"/>), and the result must measure 85–100 % of it.
    /// </summary>
    public CompressRequest(string sourcePath, string outputPath, FileSize targetSize, int? height = null) : base(sourcePath, outputPath)
    {
        TargetSize = targetSize;
        Height = CheckHeight(height);
        TwoPass = true;
    }

    /// <summary>The video bitrate; for a target size, 0 until <see cref="SizeTarget"/> has worked it out.</summary>
    public int VideoBitrateKbps { get; private init; }
    /// <summary>The output height in lines (720 for 720p), or null to keep the source's.</summary>
    public int? Height { get; private init; }
    /// <summary>Encode in two passes, for a bitrate closer to the target (always, for a target size).</summary>
    public bool TwoPass { get; init; }
    /// <summary>The file size to meet, or null for a plain bitrate.</summary>
    public FileSize? TargetSize { get; }
    /// <summary>H.264 (the default) or H.265.</summary>
    public VideoCodec Codec { get; init; } = VideoCodec.H264;
    /// <summary>The AAC bitrate to encode the audio at, or null to copy AAC/MP3 audio as it is (else 160 kbps).</summary>
    public int? AudioBitrateKbps { get; private init; }
    /// <summary>For a target size worked out: the request as it was made (its height is the one asked for, if any).</summary>
    internal CompressRequest? Asked { get; private init; }

    /// <summary>For a target size worked out: what is worth a warning about how (a lower height than the source's).</summary>
    internal IReadOnlyList<string> SizeWarnings { get; private init; } = Array.Empty<string>();
    /// <summary>The corrected try after a first encode missed the target's window.</summary>
    internal bool IsCorrection { get; private init; }

    /// <summary>A target size with its bitrate, height and audio worked out.</summary>
    internal CompressRequest Sized(int videoKbps, int? height, int? audioKbps, IReadOnlyList<string> warnings, bool correction = false) => new(SourcePath, OutputPath, TargetSize!.Value, null)
    {
        VideoBitrateKbps = Math.Max(MinBitrate, Math.Min(MaxBitrate, videoKbps)), Height = height, AudioBitrateKbps = audioKbps, Asked = Asked ?? this,
        SizeWarnings = warnings, IsCorrection = correction,
        Overwrite = Overwrite, RenderTimeout = RenderTimeout, Language = Language, Codec = Codec, TwoPass = true,
    };

    public override string Instruction =>
        $"Compress the video to {FormatBitrate(VideoBitrateKbps)}" + (Height is int h ? $" at {h}p" : "") + (Codec == VideoCodec.H265 ? " in H.265 (HEVC)" : "")
        + (TwoPass ? " using two-pass encoding" : "") + ".";
    public override string OutputFormat => "mp4";
    public override string SkillName => NemoClientOptions.CompressSkill;

    /// <summary>"8 Mbps", "2.5 Mbps", "800 kbps".</summary>
    public static string FormatBitrate(int kbps) => kbps >= 1000
        ? (kbps / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " Mbps"
        : kbps.ToString(CultureInfo.InvariantCulture) + " kbps";

    private static int? CheckHeight(int? height) => height is < 144 or > 4320
        ? throw new ArgumentOutOfRangeException(nameof(height), height, "The resolution must be between 144p and 4320p.")
        : height;

    public override RenderOutput RenderOutput => new()
    {
        Format = "mp4", Codec = Codec == VideoCodec.H265 ? "h265" : "h264", VideoBitrate = RenderOutput.Kbps(VideoBitrateKbps),
        AudioBitrate = TargetSize is null ? null : RenderOutput.Kbps(AudioBitrateKbps ?? SizeTarget.AudioKbps), // a target size counts on it
    };

    public override int? RequestedKbps => VideoBitrateKbps;

    public override int? MeasuredKbps(MediaFacts facts) => facts.VideoBitrateKbps;

    /// <summary>
    /// A target size's bitrate worked out from the source's length (the managed inspector's, else ffprobe's where it is
    /// installed); a size no watchable video fits is an error before the upload. Left as it is when the length cannot
    /// be measured here: then the service's measure, from the upload, is used before the paid edit.
    /// </summary>
    internal override async Task<MediaJobRequest> PrepareForCloudAsync(JobContext job, CancellationToken ct)
    {
        if (TargetSize is null) return this;
        var facts = job.ReadSourceFacts();
        var duration = facts.Duration;
        var height = facts.Height;
        bool? audio = facts.TracksKnown ? facts.HasAudio : null;
        if ((duration is null || height is null || audio is null) && await job.TryProbeSourceAsync(ct).ConfigureAwait(false) is MediaInfo info)
        {
            duration ??= info.Duration;
            height ??= info.Video?.Height;
            audio ??= info.AudioStreams.Count > 0;
        }
        return duration is TimeSpan d ? SizeTarget.Plan(this, d, height, SizeTarget.CloudAudio(audio ?? true)) : this;
    }

    /// <summary>A target size whose length could not be read here: the length the service measured, audio as the inspector saw it (assumed when it could not tell).</summary>
    internal override MediaJobRequest AfterUpload(JobContext job, UploadedAsset? upload)
    {
        if (TargetSize is null || VideoBitrateKbps != 0) return this;
        var facts = job.ReadSourceFacts();
        var audio = facts.TracksKnown ? facts.HasAudio : true;
        return SizeTarget.Plan(this, upload?.Duration ?? TimeSpan.Zero, upload?.Height ?? facts.Height, SizeTarget.CloudAudio(audio));
    }

    /// <summary>A video over the service's limit goes in parts split at keyframes, each compressed by the service, joined here.</summary>
    internal override bool SendsInParts(FileInfo source) => source.Length > MediaRules.MaxUploadBytes;

    /// <summary>A part at the bitrate worked out for the whole (a target size is shared out by duration, so every part has the same rate).</summary>
    internal override MediaJobRequest PartRequest(string partPath, string partOutput) =>
        new CompressRequest(partPath, partOutput, Math.Max(MinBitrate, VideoBitrateKbps), Height)
        {
            Codec = Codec, TwoPass = TwoPass, Overwrite = true, RenderTimeout = RenderTimeout, Language = Language,
        };

    /// <summary>
    /// The parts' video joined without re-encoding under the source's audio made once for the whole (copied when it is
    /// AAC and no bitrate is counted on; else encoded once), so nothing is heard at the joins.
    /// </summary>
    internal override Task JoinPartsAsync(JobContext job, FfmpegTools tools, IReadOnlyList<string> partOutputs, CancellationToken ct) =>
        VideoParts.JoinAsync(tools, partOutputs, job.Source.FullName, TargetSize is null ? AudioBitrateKbps : AudioBitrateKbps ?? SizeTarget.AudioKbps,
            job.Output.TempPath, new RelayProgress<double>(share => job.Report(JobStage.Encoding, (int)(share * 100), $"Joining the parts of {job.Source.Name}")), ct);

    internal override string EncodeMissAdvice => base.EncodeMissAdvice + " Or try again in one pass, or at another height.";

    protected override string? JudgeKind(MediaFacts facts, string name, List<string> warnings)
    {
        string? problem = null;
        if (!facts.HasVideo || facts.Container != MediaContainer.Mp4) problem = $"it is {facts.Describe()}, not an MP4 video";
        else if (Height is int h && facts.Height is int height && Math.Abs(height - h) > 1) problem = $"it is {height} lines high, not {h}p as asked";
        else if (OutputCheck.CodecProblem(Codec, facts) is string codec) problem = codec;
        else if (TargetSize is FileSize target) problem = SizeTarget.Miss(target, facts.Length);
        else if (facts.VideoBitrateKbps is int v && v > VideoBitrateKbps * OutputCheck.BitrateOvershoot)
            problem = $"its video runs at {v} kbps, far above the {VideoBitrateKbps} kbps asked";
        if (problem is null) warnings.AddRange(SizeWarnings);
        return problem;
    }

    internal override JobResult NewResult(JobContext job) => new CompressResult { TargetSize = TargetSize?.Bytes, VideoCodec = job.Facts!.VideoCodec };
}
