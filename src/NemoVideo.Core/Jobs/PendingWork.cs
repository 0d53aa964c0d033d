namespace NemoVideo.Jobs;

/// <summary>Work a run paid for and has not delivered yet (Get-NemoPendingWork): run the same command again to finish it.</summary>
public sealed class PendingWork
{
    public string Source { get; init; } = "";
    public string Output { get; init; } = "";
    /// <summary>Edited (the paid edit landed; the render is free) or Rendering (a render to poll).</summary>
    public string Stage { get; init; } = "";
    public string? SessionId { get; init; }
    public string? RenderId { get; init; }
    /// <summary>The API the work was done on.</summary>
    public string Api { get; init; } = "";
    /// <summary>When the run that paid for it started on this file.</summary>
    public DateTimeOffset Started { get; init; }
    /// <summary>When it was last written down.</summary>
    public DateTimeOffset Updated { get; init; }
    public TimeSpan Age => DateTimeOffset.UtcNow - Started;

    public static PendingWork From(JournalEntry e) => new()
    {
        Source = e.Source, Output = e.OutputPath, Stage = e.Stage, SessionId = e.SessionId, RenderId = e.RenderId, Api = e.Api,
        Started = e.Created, Updated = e.Updated,
    };
}
