using System.Globalization;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>What the audio of a target-size result costs, and how it is made.</summary>
public readonly struct AudioCost
{
    private AudioCost(int kbps, int? encodeKbps) { Kbps = kbps; EncodeKbps = encodeKbps; }

    /// <summary>No audio track: the whole size goes to the video.</summary>
    public static AudioCost None => new(0, null);
    /// <summary>The source's audio copied as it is, at its measured bitrate.</summary>
    public static AudioCost Copied(int kbps) => new(kbps, null);
    /// <summary>Encoded as AAC at this bitrate.</summary>
    public static AudioCost Encoded(int kbps) => new(kbps, kbps);

    /// <summary>What the audio takes, in kbps.</summary>
    public int Kbps { get; }
    /// <summary>The AAC bitrate to encode at, or null to copy it.</summary>
    public int? EncodeKbps { get; }
}

/// <summary>
/// The arithmetic of a target size: the video bitrate that fills 85–100 % of it from the source's measured length, the
/// audio and the MP4's overhead; whether a size can hold a watchable video at all (and the smallest that can); whether
/// a made file lands in the window, and the one corrected bitrate to try when it does not.
/// </summary>
public static class SizeTarget
{
    /// <summary>A result below this share of the target is too far under it (the file could have looked better).</summary>
    public const double Floor = 0.85;
    /// <summary>The share of the target aimed at: encoders land within a few per cent, and over is never allowed.</summary>
    public const double Aim = 0.93;
    /// <summary>The AAC bitrate a target size re-encodes audio at when it cannot be copied (and asks of the renderer).</summary>
    public const int AudioKbps = 128;

    /// <summary>What the audio of a cloud render costs: the renderer is asked for AAC at <see cref="AudioKbps"/>.</summary>
    public static AudioCost CloudAudio(bool hasAudio) => hasAudio ? AudioCost.Encoded(AudioKbps) : AudioCost.None;

    /// <summary>Below these video bitrates (for 30 fps or less) a picture of that height breaks into blocks.</summary>
    private static readonly (int Height, int Kbps)[] Watchable =
        { (240, 100), (360, 200), (480, 300), (540, 350), (720, 500), (1080, 1000), (1440, 2000), (2160, 4000), (4320, 12000) };

    /// <summary>The least video bitrate worth watching at this height.</summary>
    public static int WatchableKbps(int height) => Watchable.FirstOrDefault(w => w.Height >= height) is { Height: > 0 } w ? w.Kbps : Watchable[Watchable.Length - 1].Kbps;

    /// <summary>The MP4's index and headers: a sample table entry for every frame (about 30 a second) and every audio frame (about 47), plus the boxes.</summary>
    public static long OverheadBytes(TimeSpan duration) => 6 * 1024 + (long)(duration.TotalSeconds * 1200);

    /// <summary>The bytes a file of this length takes at these bitrates, overhead included.</summary>
    public static long BytesFor(TimeSpan duration, int videoKbps, int audioKbps) =>
        (long)((videoKbps + audioKbps) * 1000.0 / 8 * duration.TotalSeconds) + OverheadBytes(duration);

    /// <summary>
    /// The request with its video bitrate (and, when the size needs it and none was asked, a lower height) worked out;
    /// a size no watchable video fits is a <see cref="TargetSizeException"/> naming the smallest that works.
    /// </summary>
    public static CompressRequest Plan(CompressRequest request, TimeSpan duration, int? sourceHeight, AudioCost audio)
    {
        var asked = request.Asked ?? request;
        var target = asked.TargetSize ?? throw new ArgumentException("The request has no target size.", nameof(request));
        var name = Path.GetFileName(asked.SourcePath);
        if (duration <= TimeSpan.Zero)
            throw new TargetSizeException(SizeProblem.NoLength, asked.SourcePath, $"The length of '{name}' could not be measured, so no bitrate can be worked out for {target}", target);
        var videoKbps = VideoKbpsFor(target.Bytes * Aim, duration, audio.Kbps);
        var height = asked.Height ?? sourceHeight;
        var warnings = new List<string>();
        int? outHeight = asked.Height;
        if (height is int h && videoKbps < WatchableKbps(h) && asked.Height is null)
        {
            // No height asked: the largest standard one below the source's that the size can hold, said in a warning.
            var lower = Watchable.Where(w => w.Height < h && w.Kbps <= videoKbps).Select(w => (int?)w.Height).LastOrDefault();
            if (lower is int l)
            {
                outHeight = l;
                warnings.Add($"{target} is too small for '{name}' at its {h}p ({FileSize.Format(Smallest(duration, h, audio))} at least): it was made at {l}p. Add -Resolution to choose another height.");
            }
        }
        var needed = outHeight is int o ? WatchableKbps(o) : CompressRequest.MinBitrate;
        if (videoKbps < needed || videoKbps < CompressRequest.MinBitrate)
            throw TooSmall(asked, target, duration, audio, height, videoKbps, needed);
        return request.Sized((int)Math.Floor(videoKbps), outHeight, audio.EncodeKbps, warnings);
    }

    /// <summary>Why a made file misses the 85–100 % window, or null when it is in it.</summary>
    public static string? Miss(FileSize target, long length)
    {
        if (length > target.Bytes) return $"it is {FileSize.Format(length)}, over the {target} asked";
        if (length < target.Bytes * Floor) return $"it is {FileSize.Format(length)}, {Percent(length, target)} of the {target} asked (at least {(Floor * 100).ToString("0", CultureInfo.InvariantCulture)}% was expected)";
        return null;
    }

    /// <summary>
    /// The one corrected try after a miss: the bitrate scaled by how far the encoder was off, so the next pass lands at
    /// the aim. Null when the file is in the window, was already a corrected try, or no bitrate would do.
    /// </summary>
    public static CompressRequest? Corrected(CompressRequest made, MediaFacts facts)
    {
        if (made.TargetSize is not FileSize target || made.IsCorrection || Miss(target, facts.Length) is null) return null;
        if (facts.VideoBitrateKbps is not int measured || measured <= 0 || facts.Duration is not TimeSpan d || d <= TimeSpan.Zero) return null;
        var videoBytes = measured * 1000.0 / 8 * d.TotalSeconds;
        var rest = facts.Length - videoBytes; // audio and container, as they came out
        var wanted = (target.Bytes * Aim - rest) * 8 / d.TotalSeconds / 1000;
        var ask = made.VideoBitrateKbps * wanted / measured;
        if (ask < CompressRequest.MinBitrate) return null;
        return made.Sized((int)Math.Floor(ask), made.Height, made.AudioBitrateKbps, made.SizeWarnings, correction: true);
    }

    /// <summary>The error for a file that missed the window after its corrected try: what came out, and what was asked.</summary>
    public static TargetSizeException Missed(CompressRequest made, long length, string miss) =>
        new(SizeProblem.Missed, made.SourcePath,
            $"'{Path.GetFileName(made.SourcePath)}' could not be compressed to {made.TargetSize}: {(made.IsCorrection ? "after a corrected pass " : "")}{miss}; nothing was written to '{made.OutputPath}'",
            made.TargetSize!.Value) { Measured = length };

    private static double VideoKbpsFor(double bytes, TimeSpan duration, int audioKbps) =>
        (bytes - OverheadBytes(duration)) * 8 / duration.TotalSeconds / 1000 - audioKbps;

    /// <summary>The smallest target that holds a watchable video at this height (the aim's margin included).</summary>
    private static long Smallest(TimeSpan duration, int height, AudioCost audio) =>
        (long)Math.Ceiling(BytesFor(duration, Math.Max(CompressRequest.MinBitrate, WatchableKbps(height)), audio.Kbps) / Aim / 1024.0) * 1024;

    private static TargetSizeException TooSmall(CompressRequest asked, FileSize target, TimeSpan duration, AudioCost audio, int? height, double videoKbps, int needed)
    {
        var name = Path.GetFileName(asked.SourcePath);
        var lowest = Math.Min(240, height ?? 240);
        var smallest = Smallest(duration, lowest, audio);
        var audioBytes = (long)(audio.Kbps * 1000.0 / 8 * duration.TotalSeconds);
        var why = audioBytes + OverheadBytes(duration) >= target.Bytes * Aim
            ? $"its audio alone takes {FileSize.Format(audioBytes)}"
            : $"the video would get {Math.Max(0, videoKbps):0} kbps, too little to watch at {(asked.Height ?? height) switch { int h => h + "p", _ => "any height" }} (at least {needed} kbps)";
        var at = asked.Height is int a && a != lowest ? $"; at {a}p it is {FileSize.Format(Smallest(duration, a, audio))}" : "";
        return new TargetSizeException(SizeProblem.TooSmall, asked.SourcePath,
            $"'{name}' ({Seconds(duration)}) cannot be made to fit {target}: {why}. The smallest size that works for it is {FileSize.Format(smallest)} at -Resolution {lowest}p{at}", target)
        {
            Smallest = new FileSize(smallest), SmallestHeight = lowest,
        };
    }

    private static string Percent(long length, FileSize target) => (100.0 * length / target.Bytes).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}

/// <summary>Why a target size cannot be met.</summary>
public enum SizeProblem
{
    /// <summary>No watchable video fits: refused before anything is uploaded, paid for or written.</summary>
    TooSmall,
    /// <summary>The source's length is unknown, so no bitrate can be worked out.</summary>
    NoLength,
    /// <summary>The encode missed 85–100 % of the target even after its corrected pass.</summary>
    Missed,
}

/// <summary>A target size that cannot be met; the PowerShell layer turns it into an error record with its advice.</summary>
public sealed class TargetSizeException : Exception
{
    public TargetSizeException(SizeProblem problem, string path, string message, FileSize target) : base(message)
    {
        Problem = problem;
        FilePath = path;
        Target = target;
    }

    public SizeProblem Problem { get; }
    /// <summary>The source.</summary>
    public string FilePath { get; }
    public FileSize Target { get; }
    /// <summary>For <see cref="SizeProblem.TooSmall"/>: the smallest size that works, at <see cref="SmallestHeight"/>.</summary>
    public FileSize? Smallest { get; init; }
    public int? SmallestHeight { get; init; }
    /// <summary>For <see cref="SizeProblem.Missed"/>: the size that came out.</summary>
    public long? Measured { get; init; }
}
