using NemoVideo.Api;

namespace NemoVideo;

/// <summary>
/// How a failure is shown in PowerShell: the ErrorCategory name, a stable error id, the message and what
/// to do. It lives here, not in the cmdlets, so it is tested without PowerShell.
/// </summary>
public sealed class ErrorClassification
{
    private ErrorClassification(string category, string errorId, string message, string? recommendedAction)
    {
        Category = category;
        ErrorId = errorId;
        Message = message;
        RecommendedAction = recommendedAction;
    }

    /// <summary>The name of a System.Management.Automation.ErrorCategory value.</summary>
    public string Category { get; }
    /// <summary>"Nemo.&lt;Kind&gt;" for API failures, "Nemo.&lt;ExceptionType&gt;" for others.</summary>
    public string ErrorId { get; }
    public string Message { get; }
    public string? RecommendedAction { get; }

    public static ErrorClassification Classify(Exception ex)
    {
        if (ex is AggregateException { InnerExceptions.Count: 1 } agg) ex = agg.InnerExceptions[0];
        if (ex is NemoApiException api)
        {
            var category = api.Kind switch
            {
                NemoErrorKind.TokenInvalid or NemoErrorKind.MissingClientId => "AuthenticationError",
                NemoErrorKind.SessionNotFound => "ObjectNotFound",
                NemoErrorKind.InsufficientCredits => "QuotaExceeded",
                NemoErrorKind.UnsupportedFile => "InvalidType",
                NemoErrorKind.FileTooLarge or NemoErrorKind.RateLimited => "LimitsExceeded",
                NemoErrorKind.PlanRequired => "PermissionDenied",
                NemoErrorKind.ServerError => "ConnectionError",
                NemoErrorKind.Protocol => "ProtocolError",
                NemoErrorKind.RenderFailed or NemoErrorKind.AgentError => "InvalidResult",
                NemoErrorKind.DuplicateRender => "ResourceExists",
                NemoErrorKind.Timeout => "OperationTimeout",
                NemoErrorKind.InvalidRequest => "InvalidArgument",
                NemoErrorKind.TokenRateLimited => "LimitsExceeded",
                NemoErrorKind.WrongOutput => "InvalidResult",
                NemoErrorKind.Unreachable => "ConnectionError",
                NemoErrorKind.ConfigNotWritable => "PermissionDenied",
                _ => "NotSpecified",
            };
            return new ErrorClassification(category, "Nemo." + api.Kind, api.Message, string.IsNullOrEmpty(api.Advice) ? null : api.Advice);
        }
        if (ex is Local.LocalEngineException local)
        {
            var category = local.Kind switch
            {
                Local.LocalErrorKind.ToolMissing => "NotInstalled",
                Local.LocalErrorKind.BadInput => "InvalidData",
                Local.LocalErrorKind.NoSuchTrack => "ObjectNotFound",
                Local.LocalErrorKind.OutputNotWritable => "PermissionDenied",
                _ => "InvalidResult",
            };
            return new ErrorClassification(category, "Nemo.Local." + local.Kind, local.Message, local.Advice);
        }
        var (cat, advice) = ex switch
        {
            OperationCanceledException => ("OperationStopped", (string?)null),
            FileNotFoundException => ("ObjectNotFound", "Check the path."),
            DirectoryNotFoundException => ("ObjectNotFound", "Create the folder first, or choose another -Destination."),
            UnauthorizedAccessException => ("PermissionDenied", "Choose a folder you can write to."),
            IOException io when io.Message.Contains("already exists") => ("ResourceExists", "Use -Force to overwrite it or -SkipExisting to leave it."),
            IOException => ("WriteError", null),
            ArgumentOutOfRangeException or ArgumentException => ("InvalidArgument", null),
            _ => ("NotSpecified", null),
        };
        return new ErrorClassification(cat, "Nemo." + ex.GetType().Name.Replace("Exception", ""), ex.Message, advice);
    }
}
