using System.Management.Automation;
using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.PowerShell;

/// <summary>
/// How a failure of the core is shown in PowerShell: one error id and category per kind of problem whatever the
/// engine, the file it is about in the message, and advice in terms of this module's cmdlets and parameters. The
/// core throws typed errors and knows nothing of cmdlets; this is the only place that turns them into error records.
/// </summary>
internal static class ErrorMapping
{
    public static ErrorRecord ToRecord(Exception error, object? target)
    {
        var ex = error is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : error;
        var (id, category, advice) = Classify(ex);
        var message = ex is NemoApiException api ? api.ServerMessage : ex.Message;
        // In a batch every message names its file, so a nightly run's log says which one failed.
        if (target is FileInfo file && message.IndexOf(file.Name, StringComparison.OrdinalIgnoreCase) < 0) message = $"'{file.Name}': {message}";
        return new ErrorRecord(ex, id, category, target)
        {
            ErrorDetails = new ErrorDetails(message.TrimEnd('.') + ".") { RecommendedAction = string.IsNullOrWhiteSpace(advice) ? null : advice },
        };
    }

    internal static (string Id, ErrorCategory Category, string? Advice) Classify(Exception ex) => ex switch
    {
        MediaInputException input => Input(input),
        NemoApiException api => Api(api),
        LocalEngineException local => local.Kind switch
        {
            LocalErrorKind.ToolMissing => ("Nemo.FfmpegMissing", ErrorCategory.NotInstalled, local.Advice),
            LocalErrorKind.OutputNotWritable => ("Nemo.OutputNotWritable", ErrorCategory.PermissionDenied, "Choose a -Destination you can write to."),
            _ => ("Nemo.ConversionFailed", ErrorCategory.InvalidResult, local.Advice),
        },
        TargetSizeException size => size.Problem switch
        {
            SizeProblem.TooSmall => ("Nemo.TargetSizeTooSmall", ErrorCategory.InvalidArgument,
                size.Smallest is FileSize smallest ? $"Give -TargetSize {smallest} or more (with -Resolution {size.SmallestHeight}p), or a shorter clip." : "Give a larger -TargetSize."),
            SizeProblem.NoLength => ("Nemo.UnknownLength", ErrorCategory.InvalidData, "Install ffmpeg so that its length can be measured here, or use -VideoBitrate."),
            _ => ("Nemo.TargetSizeMissed", ErrorCategory.InvalidResult, "Try another -TargetSize or -Codec, or use -VideoBitrate."),
        },
        OutputExistsException => ("Nemo.OutputExists", ErrorCategory.ResourceExists, "Use -Force to overwrite it or -SkipExisting to leave it."),
        OperationCanceledException => ("Nemo.Stopped", ErrorCategory.OperationStopped, null),
        UnauthorizedAccessException => ("Nemo.OutputNotWritable", ErrorCategory.PermissionDenied, "Choose a -Destination you can write to."),
        DirectoryNotFoundException => ("Nemo.FolderNotFound", ErrorCategory.ObjectNotFound, "Create the folder first, or choose another -Destination."),
        FileNotFoundException => ("Nemo.PathNotFound", ErrorCategory.ObjectNotFound, "Check the path."),
        IOException => ("Nemo.IO", ErrorCategory.WriteError, null),
        ArgumentException => ("Nemo.InvalidArgument", ErrorCategory.InvalidArgument, null),
        _ => ("Nemo.Unexpected", ErrorCategory.NotSpecified, null),
    };

    private const string NotMediaAdvice = "Check that the file plays; it may be damaged, cut short or not media at all.";

    /// <summary>The problem's usual remedy, unless the one who found it said better (<see cref="MediaInputException.Advice"/>).</summary>
    private static (string, ErrorCategory, string?) Input(MediaInputException m)
    {
        var (id, category, advice) = UsualRemedy(m);
        return (id, category, m.Advice ?? advice);
    }

    private static (string, ErrorCategory, string?) UsualRemedy(MediaInputException m) => m.Problem switch
    {
        InputProblem.Missing => ("Nemo.PathNotFound", ErrorCategory.ObjectNotFound, "Check the path; use -LiteralPath for names with [ ] or other wildcard characters."),
        InputProblem.Folder => ("Nemo.NotAFile", ErrorCategory.InvalidArgument, "Give a file, or pipe the folder's files: Get-ChildItem <folder> -File | ..."),
        InputProblem.Empty => ("Nemo.EmptyFile", ErrorCategory.InvalidData, "Check that the recording finished writing."),
        InputProblem.UnsupportedType => ("Nemo.UnsupportedType", ErrorCategory.InvalidType, $"Accepted here: {m.Detail}."),
        InputProblem.NotMedia => ("Nemo.NotMedia", ErrorCategory.InvalidData, NotMediaAdvice),
        InputProblem.TooLarge => ("Nemo.FileTooLarge", ErrorCategory.LimitsExceeded, "The service takes at most 500 MB: convert it on this machine with -Engine Local, or split it first."),
        _ => ("Nemo.NoSuchTrack", ErrorCategory.ObjectNotFound, m.Detail == "video" ? "Use ConvertTo-NemoMp3 for audio-only files."
            : m.TrackCount is 0 ? "There is nothing to extract; check that the right file was given."
            : m.Detail != null ? $"Its tracks: {m.Detail}." : $"Use -AudioTrack 1 to {m.TrackCount}."),
    };

    private static (string, ErrorCategory, string?) Api(NemoApiException api)
    {
        var (id, category, advice) = api.Kind switch
        {
            NemoErrorKind.TokenInvalid => ("Nemo.TokenInvalid", ErrorCategory.AuthenticationError,
                "Run Connect-Nemo again; if NEMO_TOKEN or -Token is set, replace it with a valid token or remove it to use a free anonymous token."),
            NemoErrorKind.MissingClientId => ("Nemo.MissingClientId", ErrorCategory.AuthenticationError, api.Advice),
            NemoErrorKind.SessionNotFound => ("Nemo.SessionNotFound", ErrorCategory.ObjectNotFound, "Start a new session with Connect-Nemo (the job cmdlets do this by themselves)."),
            NemoErrorKind.InsufficientCredits => ("Nemo.InsufficientCredits", ErrorCategory.QuotaExceeded, "Top up your credits, or use -Engine Local to convert on this machine."),
            // After the module's own checks, a 4001 is about the content: the same problem as a file ffprobe cannot read.
            NemoErrorKind.UnsupportedFile => ("Nemo.NotMedia", ErrorCategory.InvalidData, NotMediaAdvice),
            NemoErrorKind.FileTooLarge => ("Nemo.FileTooLarge", ErrorCategory.LimitsExceeded, "The service takes at most 500 MB: convert it on this machine with -Engine Local, or split it first."),
            NemoErrorKind.PlanRequired => ("Nemo.ExportNotAllowed", ErrorCategory.PermissionDenied,
                "Export needs a token with the render scope (free anonymous tokens lack it; this is not about credits): create one at nemovideo.com (Settings, API Tokens), then set NEMO_TOKEN or run Connect-Nemo -Token; or use -Engine Local, which needs no token."),
            NemoErrorKind.RateLimited => ("Nemo.RateLimited", ErrorCategory.LimitsExceeded, api.Advice),
            NemoErrorKind.TokenRateLimited => ("Nemo.TokenRateLimited", ErrorCategory.LimitsExceeded,
                "A token of your own avoids the limit: create one at nemovideo.com (Settings, API Tokens), then set NEMO_TOKEN or run Connect-Nemo -Token."),
            NemoErrorKind.ServerError => ("Nemo.ServiceError", ErrorCategory.ConnectionError, api.Advice),
            NemoErrorKind.Unreachable => ("Nemo.Unreachable", ErrorCategory.ConnectionError, "Check the address: -BaseUri, NEMO_API_URL (default https://mega-api-prod.nemovideo.ai), and any proxy."),
            NemoErrorKind.Outage => ("Nemo.Outage", ErrorCategory.ConnectionError,
                "Run the command again once the service answers: work already paid for (Get-NemoPendingWork lists it) is picked up then without paying again. NEMO_OUTAGE_WINDOW sets how long a stop is waited out (seconds; default 300)."),
            NemoErrorKind.Protocol => ("Nemo.Protocol", ErrorCategory.ProtocolError, "The answer did not come from the NemoVideo API as expected; check -BaseUri, NEMO_API_URL and any proxy in between."),
            NemoErrorKind.RenderFailed => ("Nemo.RenderFailed", ErrorCategory.InvalidResult, api.Advice),
            NemoErrorKind.AgentError => ("Nemo.AgentError", ErrorCategory.InvalidResult, api.Advice),
            NemoErrorKind.WrongOutput => ("Nemo.WrongOutput", ErrorCategory.InvalidResult,
                "Use -Engine Local, or install ffmpeg (winget install Gyan.FFmpeg; brew install ffmpeg; apt-get install ffmpeg) so that such results are finished on this machine."),
            NemoErrorKind.DuplicateRender => ("Nemo.DuplicateRender", ErrorCategory.ResourceExists, api.Advice),
            NemoErrorKind.Timeout => ("Nemo.Timeout", ErrorCategory.OperationTimeout, "Raise -Timeout, or check the render later with Get-NemoRender."),
            NemoErrorKind.InvalidRequest => ("Nemo.InvalidRequest", ErrorCategory.InvalidArgument, api.Advice),
            NemoErrorKind.InsecureHttp => ("Nemo.InsecureHttp", ErrorCategory.SecurityError, "Use https://, or pass -AllowInsecureHttp if this network is trusted."),
            NemoErrorKind.ConfigNotWritable => ("Nemo.ConfigNotWritable", ErrorCategory.PermissionDenied, api.Advice),
            _ => ("Nemo.ServiceError", ErrorCategory.NotSpecified, api.Advice),
        };
        // Advice written for this very failure (a registration link, how long to wait) beats the kind's, unless the
        // kind's names this module's own parameters.
        return (id, category, api.HasSpecificAdvice && api.Kind != NemoErrorKind.InsecureHttp ? api.Advice : advice);
    }
}
