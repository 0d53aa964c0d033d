namespace NemoVideo.Media;

/// <summary>What is wrong with an input file: one kind whichever engine finds it.</summary>
public enum InputProblem
{
    /// <summary>The path does not exist.</summary>
    Missing,
    /// <summary>The path is a folder.</summary>
    Folder,
    /// <summary>The file has no bytes.</summary>
    Empty,
    /// <summary>The extension is not one the job takes.</summary>
    UnsupportedType,
    /// <summary>The bytes are not media (or are damaged): ffprobe cannot read them, or the service refused them (4001).</summary>
    NotMedia,
    /// <summary>Over the service's 500 MB limit.</summary>
    TooLarge,
    /// <summary>No audio track (or not the one asked for), or no video to compress.</summary>
    NoSuchTrack,
}

/// <summary>
/// A bad input file, found before any work or money was spent, by either engine. The message names the file and
/// says what is wrong; <see cref="Detail"/> holds the facts a remedy needs (the accepted types, the tracks there are).
/// It knows nothing of cmdlets: the PowerShell layer turns it into an error record with its advice.
/// </summary>
public sealed class MediaInputException : Exception
{
    public MediaInputException(InputProblem problem, string path, string message, string? detail = null, Exception? inner = null)
        : base(message, inner)
    {
        Problem = problem;
        FilePath = path;
        Detail = detail;
    }

    public InputProblem Problem { get; }
    /// <summary>The file (or path) the problem is with.</summary>
    public string FilePath { get; }
    /// <summary>Facts for the remedy: "mp4 mov avi webm mkv", "1 (eng), 2 (ger)", "2" (tracks there are).</summary>
    public string? Detail { get; }
    /// <summary>What would make it work, when the one who found the problem knows better than the problem's usual remedy.</summary>
    public string? Advice { get; init; }
    /// <summary>For <see cref="InputProblem.NoSuchTrack"/>: how many audio tracks the file has.</summary>
    public int? TrackCount { get; init; }
}
