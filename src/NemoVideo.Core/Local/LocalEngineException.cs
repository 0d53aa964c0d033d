namespace NemoVideo.Local;

/// <summary>What went wrong with the tools on this machine (a bad input file is a <see cref="Media.MediaInputException"/>, whichever engine finds it).</summary>
public enum LocalErrorKind
{
    /// <summary>ffmpeg or ffprobe is not installed or not found.</summary>
    ToolMissing,
    /// <summary>ffmpeg failed while converting.</summary>
    ConversionFailed,
    /// <summary>The output could not be written.</summary>
    OutputNotWritable,
}

/// <summary>A failure of the local engine, with ffmpeg's own words and what to do.</summary>
public sealed class LocalEngineException : Exception
{
    public LocalEngineException(LocalErrorKind kind, string message, string advice, string? toolOutput = null, Exception? inner = null)
        : base(message.TrimEnd('.') + ". " + advice + (string.IsNullOrWhiteSpace(toolOutput) ? "" : Environment.NewLine + "ffmpeg said: " + toolOutput!.Trim()), inner)
    {
        Kind = kind;
        Advice = advice;
        ToolOutput = toolOutput;
    }

    public LocalErrorKind Kind { get; }
    public string Advice { get; }
    /// <summary>The last lines ffmpeg or ffprobe wrote to stderr.</summary>
    public string? ToolOutput { get; }

    /// <summary>How to get ffmpeg, on every system the module runs on.</summary>
    public const string InstallAdvice = "Install ffmpeg — Windows: winget install Gyan.FFmpeg (or choco install ffmpeg); macOS: brew install ffmpeg; " +
        "Debian/Ubuntu: sudo apt-get install ffmpeg; Fedora: sudo dnf install ffmpeg — or set NEMO_FFMPEG and NEMO_FFPROBE to the programs' full paths.";

    /// <summary>ffmpeg exited with an error while it was to <paramref name="action"/> ("convert 'talk.mkv'"): its last words attached.</summary>
    internal static LocalEngineException Failed(string action, ToolRun run) => new(LocalErrorKind.ConversionFailed,
        $"ffmpeg could not {action} (exit code {run.ExitCode})", "Check that the file plays; see ffmpeg's message below.", MediaProbe.LastLines(run.Stderr));

    internal static LocalEngineException Missing(string tool, string tried) => new(LocalErrorKind.ToolMissing,
        $"{tool} was not found (looked for '{tried}')", InstallAdvice);
}
