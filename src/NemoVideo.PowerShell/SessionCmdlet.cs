using System.Management.Automation;

namespace NemoVideo.PowerShell;

/// <summary>The building-block cmdlets: they work in a session — the one given, or the connection's default.</summary>
public abstract class SessionCmdlet : NemoCmdlet
{
    /// <summary>The connection to use (from Connect-Nemo -PassThru or Get-NemoSession); the current one by default.</summary>
    [Parameter(ValueFromPipeline = true)]
    public NemoConnection? Session { get; set; }

    /// <summary>The session to work in; bound from the SessionId of piped objects. The connection's default session when left out.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidatePattern("^[0-9A-Za-z_-]{1,64}$")]
    public string? SessionId { get; set; }

    private NemoConnection? _connection;

    /// <summary>The runspace's connection (or -Session) is read here, on the pipeline thread: the runspace lookup is thread-static.</summary>
    protected override void PrepareOnPipelineThread() => _connection = Session ?? GetConnection();

    /// <summary>The connection and session id to use; runs on the worker thread, with the connection resolved before it.</summary>
    protected Task<(NemoConnection Connection, string SessionId)> ResolveSessionAsync(CancellationToken ct) =>
        ResolveSessionAsync(_connection ?? throw new InvalidOperationException("The connection is resolved on the pipeline thread before the work starts."), SessionId, ct);
}
