namespace NemoVideo.Media;

/// <summary>
/// What can be taken out of one audio track of a file without ffmpeg: the AAC or MP3 frames of an MP4/MOV or
/// Matroska/WebM file, byte for byte as stored, AAC behind ADTS headers (an .aac file), MP3 as an .mp3 file.
/// </summary>
public sealed class AudioTrackExtraction
{
    private readonly string _path;
    private readonly AudioTrackPlan _plan;

    private AudioTrackExtraction(string path, int audioIndex, AudioTrackPlan plan)
    {
        _path = path;
        _plan = plan;
        AudioIndex = audioIndex;
    }

    /// <summary>"aac" or "mp3".</summary>
    public string Codec => _plan.Aac is null ? "mp3" : "aac";

    /// <summary>".aac" (ADTS) or ".mp3".</summary>
    public string Extension => _plan.Aac is null ? ".mp3" : ".aac";

    /// <summary>0-based among the file's audio tracks.</summary>
    public int AudioIndex { get; }

    /// <summary>What <see cref="Extract"/> will write, about (payload and ADTS headers); exact for MP4, estimated from the first clusters for Matroska.</summary>
    public long EstimatedBytes => _plan.EstimatedBytes;

    /// <summary>The track's length as the container states it, if it does.</summary>
    public TimeSpan? Duration => _plan.Duration;

    /// <summary>The sample rate the written file will report (for HE-AAC, the core rate).</summary>
    public int? SampleRate => _plan.Aac?.SampleRate;

    /// <summary>
    /// The extraction of the <paramref name="audioIndex"/>-th audio track of the file, or null with the reason in
    /// <paramref name="whyNot"/> when it cannot be taken out here: another codec, an AAC config ADTS cannot carry (channel
    /// configuration 0, an explicit sample rate), fragmented MP4, Matroska content encoding, an unknown or damaged file.
    /// I/O errors (a missing file) propagate.
    /// </summary>
    public static AudioTrackExtraction? TryPlan(string path, int audioIndex, out string? whyNot)
    {
        if (audioIndex < 0) throw new ArgumentOutOfRangeException(nameof(audioIndex), audioIndex, "The audio index is 0-based.");
        using var file = Open(path);
        var length = file.Length;
        var head = new byte[12];
        var count = Mp3Reader.ReadAt(file, 0, head, head.Length);
        AudioTrackPlan? plan;
        try
        {
            if (count >= 8 && Tag(head, 4, "ftyp") || count >= 8 && (Tag(head, 4, "moov") || Tag(head, 4, "mdat") || Tag(head, 4, "wide") || Tag(head, 4, "free")))
                plan = Mp4AudioTrack.TryPlan(file, length, audioIndex, out whyNot);
            else if (count >= 4 && head[0] == 0x1A && head[1] == 0x45 && head[2] == 0xDF && head[3] == 0xA3)
                plan = MatroskaAudioTrack.TryPlan(file, length, audioIndex, out whyNot);
            else
            {
                whyNot = "the file is neither MP4/MOV nor Matroska/WebM";
                return null;
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or ArgumentException or OverflowException or InvalidDataException)
        {
            whyNot = "the file's index is damaged (" + e.Message + ")";
            return null;
        }
        return plan is null ? null : new AudioTrackExtraction(path, audioIndex, plan);
    }

    /// <summary>
    /// Writes the track to <paramref name="destination"/>: MP3 frames concatenated as stored; AAC raw frames each behind a
    /// 7-byte ADTS header. Returns the bytes written. <paramref name="progress"/> gets 0..1 by the bytes of the source read.
    /// A file cut short ends the output at its last whole frame; damage inside it throws <see cref="InvalidDataException"/>.
    /// </summary>
    public long Extract(Stream destination, IProgress<double>? progress, CancellationToken ct)
    {
        if (destination is null) throw new ArgumentNullException(nameof(destination));
        using var file = Open(path: _path);
        var writer = new FrameWriter(destination, _plan.Aac);
        progress?.Report(0);
        _plan.Copy(file, writer, progress, ct);
        writer.Flush();
        progress?.Report(1);
        return writer.Written;
    }

    // No FileStream buffer: the readers read in blocks of a megabyte or more themselves.
    private static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);

    private static bool Tag(byte[] b, int i, string tag) => b[i] == tag[0] && b[i + 1] == tag[1] && b[i + 2] == tag[2] && b[i + 3] == tag[3];
}

/// <summary>One container's way to a track's frames, found by its TryPlan.</summary>
internal abstract class AudioTrackPlan
{
    /// <summary>Null for MP3.</summary>
    public AacConfig? Aac { get; protected set; }
    public long EstimatedBytes { get; protected set; }
    public TimeSpan? Duration { get; protected set; }

    /// <summary>Each frame of the track, in order, to the writer.</summary>
    public abstract void Copy(Stream source, FrameWriter writer, IProgress<double>? progress, CancellationToken ct);

    /// <summary>The reason for a codec other than AAC and MP3.</summary>
    protected static string OtherCodec(string codec) => $"the audio track's codec is {codec}; only AAC and MP3 can be taken out without ffmpeg";

    /// <summary>Whether an MPEG audio frame starting the track is layer III (0x69/0x6B in MP4 and A_MPEG/L3 also carry layer II).</summary>
    protected static string? CheckMp3(byte[] b, int at, int count)
    {
        if (count < 4) return null;
        if (!MpegFrame.TryRead(b, at, out var frame)) return "the MP3 track's first frame has no valid MPEG audio header";
        return frame.Layer == 3 ? null : OtherCodec("mp" + frame.Layer);
    }
}
