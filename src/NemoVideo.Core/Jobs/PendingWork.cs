namespace NemoVideo.Jobs;

/// <summary>Work a run paid for and has not delivered yet (Get-NemoPendingWork): piped into the cmdlet of its kind, it is finished as first asked.</summary>
public sealed class PendingWork
{
    public string Source { get; init; } = "";
    public string Output { get; init; } = "";
    /// <summary>Mp3 (ConvertTo-NemoMp3) or Compress (Compress-NemoVideo); empty for an entry written before requests were kept.</summary>
    public string Kind { get; init; } = "";
    /// <summary>The request as first asked: what piping this object into the cmdlet of its kind runs again.</summary>
    public JobParameters? Parameters { get; init; }
    /// <summary>The source's size and last write (UTC) when the work was paid for: a source changed since cannot be finished.</summary>
    public long SourceLength { get; init; }
    public DateTime SourceLastWriteUtc { get; init; }
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
        Source = e.Source, Output = e.OutputPath, Kind = e.Parameters?.Kind ?? "", Parameters = e.Parameters,
        SourceLength = e.Length, SourceLastWriteUtc = new DateTime(e.LastWriteUtc, DateTimeKind.Utc), Stage = e.Stage, SessionId = e.SessionId, RenderId = e.RenderId, Api = e.Api,
        Started = e.Created, Updated = e.Updated,
    };
}
