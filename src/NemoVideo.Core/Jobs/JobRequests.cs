using System.Globalization;
using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>Where the work is done.</summary>
public enum NemoEngine
{
    /// <summary>The NemoVideo cloud: upload, agent, render, download.</summary>
    Cloud,
    /// <summary>ffmpeg on this machine: nothing leaves it, no credits used.</summary>
    Local,
}

/// <summary>What every job needs: a source, where the result goes, and how long the render may take.</summary>
public abstract class MediaJobRequest
{
    protected MediaJobRequest(string sourcePath, string outputPath)
    {
        SourcePath = sourcePath;
        OutputPath = outputPath;
    }

    public string SourcePath { get; }
    /// <summary>The full path of the file to write.</summary>
    public string OutputPath { get; }
    /// <summary>Replace an existing output file.</summary>
    public bool Overwrite { get; init; }
    /// <summary>How long the render may take before it is cancelled.</summary>
    public TimeSpan RenderTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The session's language.</summary>
    public string Language { get; init; } = "en";

    /// <summary>What the agent is asked to do.</summary>
    public abstract string Instruction { get; }
    /// <summary>The render's output format.</summary>
    public abstract string OutputFormat { get; }
    /// <summary>The source types this job takes.</summary>
    public virtual IReadOnlyCollection<string> AcceptedExtensions => MediaRules.VideoExtensions;
    /// <summary>The seed skill whose job this is, sent as X-Skill-Source.</summary>
    public abstract string SkillName { get; }
}

/// <summary>
/// How an MP3 is encoded — one choice, one value: a constant bitrate, a LAME VBR quality, or left to the default
/// (192 kbps, or the source's own MP3 audio copied as it is).
/// </summary>
public sealed class Mp3Encoding
{
    /// <summary>The bitrate used when none was asked for and the audio must be encoded.</summary>
    public const int DefaultKbps = 192;

    private Mp3Encoding(int? constantKbps, int? vbrQuality)
    {
        ConstantKbps = constantKbps;
        VbrQuality = vbrQuality;
    }

    /// <summary>Nothing asked: 192 kbps, or an MP3 source copied as it is.</summary>
    public static Mp3Encoding Default { get; } = new(null, null);

    /// <summary>A constant bitrate, 32 to 320 kbps.</summary>
    public static Mp3Encoding Constant(int kbps) => kbps is >= Mp3Request.MinBitrate and <= Mp3Request.MaxBitrate
        ? new Mp3Encoding(kbps, null)
        : throw new ArgumentOutOfRangeException(nameof(kbps), kbps, $"The MP3 bitrate must be between {Mp3Request.MinBitrate} and {Mp3Request.MaxBitrate} kbps.");

    /// <summary>LAME variable bitrate at quality 0 (best) to 9.</summary>
    public static Mp3Encoding Variable(int quality) => quality is >= 0 and <= 9
        ? new Mp3Encoding(null, quality)
        : throw new ArgumentOutOfRangeException(nameof(quality), quality, "VBR quality runs from 0 (best) to 9.");

    public int? ConstantKbps { get; }
    public int? VbrQuality { get; }
    public bool IsDefault => ConstantKbps is null && VbrQuality is null;
    /// <summary>The bitrate a constant-bitrate encode uses: the one asked for, or the default; null for VBR.</summary>
    public int? EncodeKbps => VbrQuality is null ? ConstantKbps ?? DefaultKbps : null;

    public override string ToString() => VbrQuality is int q ? $"VBR quality V{q}" : $"{EncodeKbps} kbps";
}

/// <summary>A loudness to reach (EBU R128 / ITU-R BS.1770): integrated LUFS with a true-peak ceiling.</summary>
public sealed class LoudnessTarget
{
    /// <summary>How far the measured result may be from the target, in LU.</summary>
    public const double Tolerance = 0.5;

    /// <param name="integrated">−16 for podcasts, −23 for EBU R128 broadcast, −14 for music streaming; −36 to −6 LUFS.</param>
    /// <param name="truePeak">The ceiling, −9 to 0 dBTP (−1 by default, what the podcast directories ask).</param>
    public LoudnessTarget(double integrated, double truePeak = -1)
    {
        if (double.IsNaN(integrated) || integrated < -36 || integrated > -6)
            throw new ArgumentOutOfRangeException(nameof(integrated), integrated, "The loudness must be between -36 and -6 LUFS (podcasts use -16, EBU R128 broadcast -23).");
        if (double.IsNaN(truePeak) || truePeak < -9 || truePeak > 0)
            throw new ArgumentOutOfRangeException(nameof(truePeak), truePeak, "The true peak must be between -9 and 0 dBTP (-1 is usual).");
        Integrated = integrated;
        TruePeak = truePeak;
    }

    public double Integrated { get; }
    public double TruePeak { get; }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:0.#} LUFS (true peak {1:0.#} dBTP)", Integrated, TruePeak);
}

/// <summary>Extract a video's audio as MP3.</summary>
public sealed class Mp3Request : MediaJobRequest
{
    public const int MinBitrate = 32;
    public const int MaxBitrate = 320;
    /// <summary>The MPEG-1 Layer III rates between 32 and 320 kbps, the ones worth tab-completing.</summary>
    public static readonly IReadOnlyList<int> StandardBitrates = new[] { 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

    /// <summary>Encoded as <paramref name="encoding"/> (the default when null).</summary>
    public Mp3Request(string sourcePath, string outputPath, Mp3Encoding? encoding = null, int? audioTrack = null) : base(sourcePath, outputPath)
    {
        if (audioTrack is < 1)
            throw new ArgumentOutOfRangeException(nameof(audioTrack), audioTrack, "Audio tracks are numbered from 1.");
        Encoding = encoding ?? Mp3Encoding.Default;
        AudioTrack = audioTrack;
    }

    /// <summary>At a constant <paramref name="bitrateKbps"/>.</summary>
    public Mp3Request(string sourcePath, string outputPath, int bitrateKbps, int? audioTrack = null)
        : this(sourcePath, outputPath, Mp3Encoding.Constant(bitrateKbps), audioTrack) { }

    public Mp3Encoding Encoding { get; }
    /// <summary>Which audio track (1 = the first), or null for the default one.</summary>
    public int? AudioTrack { get; }
    /// <summary>Pick the audio track by its language tag (eng, ger, or en), instead of by number.</summary>
    public string? AudioLanguage { get; init; }
    /// <summary>Bring the audio to this loudness, measured on the finished MP3; null leaves the level as it is.</summary>
    public LoudnessTarget? Loudness { get; init; }
    /// <summary>Tags to set (ffprobe's names: title, artist, album, date, genre, comment…) over the source's; a null or empty value removes one.</summary>
    public IReadOnlyDictionary<string, string?> Tags { get; init; } = new Dictionary<string, string?>();
    /// <summary>The chapters to write instead of the source's; null carries the source's over.</summary>
    public IReadOnlyList<Media.MediaChapter>? Chapters { get; init; }
    /// <summary>The front cover to write instead of the source's own picture; null carries the source's over.</summary>
    public Media.CoverPicture? Cover { get; init; }

    public override string Instruction =>
        "Extract the audio as MP3 " + (Encoding.VbrQuality is int q ? $"at VBR quality V{q}" : $"at {Encoding.EncodeKbps} kbps")
        + (AudioTrack is int t ? $" (track {t})" : AudioLanguage is string l ? $" (the {l} audio track)" : "") + "."
        + (Loudness is LoudnessTarget n ? string.Format(CultureInfo.InvariantCulture,
            " Normalize the loudness to {0:0.#} LUFS integrated with the true peak at or below {1:0.#} dBTP, using a linear gain where possible.", n.Integrated, n.TruePeak) : "");
    public override string OutputFormat => "mp3";
    public override string SkillName => NemoClientOptions.Mp3Skill;
}

/// <summary>The video codec a compressed video is written in.</summary>
public enum VideoCodec
{
    /// <summary>H.264 (AVC): plays everywhere.</summary>
    H264,
    /// <summary>H.265 (HEVC), tagged hvc1 in MP4 so Apple and Windows players open it.</summary>
    H265,
}

/// <summary>Re-encode a video at a target bitrate, or to a target file size, and optionally a lower resolution.</summary>
public sealed class CompressRequest : MediaJobRequest
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
}

/// <summary>What a finished job made: what the file is, measured from its bytes, and what was asked for.</summary>
public sealed class JobResult
{
    public FileInfo Output { get; init; } = null!;
    public string Source { get; init; } = "";
    public string SessionId { get; init; } = "";
    public string RenderId { get; init; } = "";
    /// <summary>The bitrate of the file written, in kbps, measured from it (audio for an MP3, video for a compressed video); the average for VBR.</summary>
    public int? BitrateKbps { get; init; }
    /// <summary>The bitrate asked for, in kbps (null for VBR or when left to the default).</summary>
    public int? RequestedBitrateKbps { get; init; }
    /// <summary>True when the MP3 is variable bitrate, measured from the file.</summary>
    public bool? IsVbr { get; init; }
    /// <summary>The length of the file written, measured from it.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>The file size asked for (Compress-NemoVideo -TargetSize), in bytes; the file's own size is <see cref="FileInfo.Length"/>.</summary>
    public long? TargetSize { get; init; }
    /// <summary>The video codec of the file written, as ffprobe names it (h264, hevc), read from its bytes.</summary>
    public string? VideoCodec { get; init; }
    /// <summary>The source's length, as the service or ffprobe measured it.</summary>
    public TimeSpan? SourceDuration { get; init; }
    /// <summary>What the agent said, or what the state showed after a silent reply.</summary>
    public string? AgentSummary { get; init; }
    /// <summary>Cloud or Local.</summary>
    public NemoEngine Engine { get; init; } = NemoEngine.Cloud;
    /// <summary>The audio was copied as it was instead of re-encoded (local engine, MP3 source).</summary>
    public bool StreamCopied { get; init; }
    /// <summary>The cloud returned something other than what was asked, and ffmpeg on this machine made the file instead.</summary>
    public bool FinishedLocally { get; init; }
    /// <summary>What the user should know about this file (one line each): a different bitrate, a local finish, a length that differs from the source's.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
    /// <summary>The MP3's integrated loudness in LUFS, measured on the finished file (only when a loudness was asked for).</summary>
    public double? Loudness { get; init; }
    /// <summary>The MP3's true peak in dBTP, measured on the finished file (only when a loudness was asked for).</summary>
    public double? TruePeak { get; init; }
    /// <summary>What the finished file is, read from its bytes after its name was given (tags, chapters and cover included).</summary>
    public Media.MediaFacts? Facts { get; init; }
    /// <summary>What is worth a -Verbose line: work of an earlier run picked up, say.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}
