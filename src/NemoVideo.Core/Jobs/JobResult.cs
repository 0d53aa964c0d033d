namespace NemoVideo.Jobs;

/// <summary>
/// What a finished job made: what the file is, measured from its bytes, and what was asked for. Each kind of job
/// returns its own shape (<see cref="Mp3Result"/>, <see cref="CompressResult"/>); this part is what every kind has.
/// </summary>
public record JobResult
{
    public FileInfo Output { get; init; } = null!;
    public string Source { get; init; } = "";
    public string SessionId { get; init; } = "";
    public string RenderId { get; init; } = "";
    /// <summary>The bitrate of the file written, in kbps, measured from it (audio for an MP3, video for a compressed video); the average for VBR.</summary>
    public int? BitrateKbps { get; init; }
    /// <summary>The bitrate asked for, in kbps (null for VBR or when left to the default).</summary>
    public int? RequestedBitrateKbps { get; init; }
    /// <summary>The length of the file written, measured from it.</summary>
    public TimeSpan? Duration { get; init; }
    /// <summary>The source's length, as the service or ffprobe measured it.</summary>
    public TimeSpan? SourceDuration { get; init; }
    /// <summary>What the agent said, or what the state showed after a silent reply.</summary>
    public string? AgentSummary { get; init; }
    /// <summary>Cloud or Local.</summary>
    public NemoEngine Engine { get; init; } = NemoEngine.Cloud;
    /// <summary>The cloud returned something other than what was asked, and ffmpeg on this machine made the file instead.</summary>
    public bool FinishedLocally { get; init; }
    /// <summary>What the user should know about this file (one line each): a different bitrate, a local finish, a length that differs from the source's.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
    /// <summary>What the finished file is, read from its bytes after its name was given (tags, chapters and cover included).</summary>
    public Media.MediaFacts? Facts { get; init; }
    /// <summary>What is worth a -Verbose line: work of an earlier run picked up, say.</summary>
    public IReadOnlyList<string> Notes { get; init; } = Array.Empty<string>();
}

/// <summary>An MP3 made from a source's audio (<see cref="Mp3Request"/>).</summary>
public sealed record Mp3Result : JobResult
{
    /// <summary>True when the MP3 is variable bitrate, measured from the file.</summary>
    public bool? IsVbr { get; init; }
    /// <summary>The audio was copied as it was instead of re-encoded (local engine, MP3 source).</summary>
    public bool StreamCopied { get; init; }
    /// <summary>The MP3's integrated loudness in LUFS, measured on the finished file (only when a loudness was asked for).</summary>
    public double? Loudness { get; init; }
    /// <summary>The MP3's true peak in dBTP, measured on the finished file (only when a loudness was asked for).</summary>
    public double? TruePeak { get; init; }
}

/// <summary>A video compressed to a bitrate or a size (<see cref="CompressRequest"/>).</summary>
public sealed record CompressResult : JobResult
{
    /// <summary>The file size asked for (Compress-NemoVideo -TargetSize), in bytes; the file's own size is <see cref="FileInfo.Length"/>.</summary>
    public long? TargetSize { get; init; }
    /// <summary>The video codec of the file written, as ffprobe names it (h264, hevc), read from its bytes.</summary>
    public string? VideoCodec { get; init; }
}
