using System.Management.Automation;
using NemoVideo.Api;
using NemoVideo.Media;

namespace NemoVideo.PowerShell;

/// <summary>
/// The base of every cmdlet: runs core work on the thread pool and carries what it reports — objects,
/// progress, verbose lines, errors, ShouldProcess questions — back to the pipeline thread, the only
/// thread PowerShell lets write. The work is handed a <see cref="PipelineWriter"/>, its only way back;
/// <see cref="PipelinePump"/> carries the writes out here. Ctrl+C (StopProcessing) cancels the work's token.
/// </summary>
public abstract class NemoCmdlet : PSCmdlet, IPipelineTarget
{
    private readonly PipelinePump _pump;

    /// <summary>The pump writes through the cmdlet's own Write* and ShouldProcess (<see cref="IPipelineTarget"/>).</summary>
    protected NemoCmdlet() => _pump = new PipelinePump(this);

    /// <summary>Fires on Ctrl+C, or when a write on the pipeline thread failed.</summary>
    protected CancellationToken StopToken => _pump.StopToken;

    protected override void StopProcessing() => _pump.Stop();

    /// <summary>The runspace's connection; made on first use from NEMO_TOKEN, the cache or an anonymous token.</summary>
    protected NemoConnection GetConnection() => ModuleState.Current ?? ModuleState.Set(CreateConnection(new ConnectionSettings { SkillVersion = ModuleState.Version }));

    /// <summary>A new connection; settings that would put the token at risk (plain http, a bad address) end the cmdlet with a clear error.</summary>
    protected NemoConnection CreateConnection(ConnectionSettings settings)
    {
        try
        {
            return NemoConnection.Create(settings);
        }
        catch (NemoApiException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, settings.BaseUri));
            throw; // not reached: ThrowTerminatingError always throws
        }
    }

    /// <summary>
    /// The session id to work in on <paramref name="connection"/> (resolved on the pipeline thread): the one given, else
    /// the connection's default session, made on first use. Runs on the worker thread and touches no runspace.
    /// </summary>
    protected static async Task<(NemoConnection Connection, string SessionId)> ResolveSessionAsync(NemoConnection connection, string? sessionId, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(sessionId)) return (connection, sessionId!);
        if (connection.SessionId is string current) return (connection, current);
        await connection.ConnectAsync(createSession: true, ct: ct).ConfigureAwait(false);
        return (connection, connection.SessionId!);
    }

    /// <summary>
    /// File-system paths for -Path (wildcards) or -LiteralPath. A path that matches nothing, or is not on the
    /// file system, is a non-terminating error; the rest go on.
    /// </summary>
    protected IEnumerable<string> ResolveFiles(IEnumerable<string>? paths, bool literal)
    {
        foreach (var path in paths ?? Array.Empty<string>())
        {
            List<string> resolved;
            ProviderInfo provider;
            try
            {
                if (literal)
                {
                    resolved = new List<string> { SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _) };
                    if (provider.Name == "FileSystem" && !File.Exists(resolved[0]) && !Directory.Exists(resolved[0]))
                        throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                }
                else
                {
                    resolved = GetResolvedProviderPathFromPSPath(path, out provider).ToList();
                    if (resolved.Count == 0 && WildcardPattern.ContainsWildcardCharacters(path))
                        throw new ItemNotFoundException($"No file matches '{path}'.");
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSArgumentException)
            {
                WriteError(new ErrorRecord(ex, "Nemo.PathNotFound", ErrorCategory.ObjectNotFound, path)
                {
                    ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Check the path; use -LiteralPath for names with [ ] or other wildcard characters." },
                });
                continue;
            }
            if (provider.Name != "FileSystem")
            {
                WriteError(new ErrorRecord(new PSArgumentException($"'{path}' is not a file-system path."), "Nemo.NotAFile", ErrorCategory.InvalidArgument, path));
                continue;
            }
            foreach (var file in resolved) yield return file;
        }
    }

    /// <summary>A path from the user, made absolute against PowerShell's current location (not the process's).</summary>
    protected string ToFileSystemPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>
    /// Called on the pipeline thread just before work is handed to the thread pool: the place to read anything of the
    /// runspace (its current connection, its session state), which a pool thread must never touch.
    /// </summary>
    protected virtual void PrepareOnPipelineThread() { }

    /// <summary>
    /// Runs <paramref name="work"/> off the pipeline thread; what it writes through its <see cref="PipelineWriter"/>
    /// (the only way back) is carried out here until it ends. Rethrows its failure.
    /// </summary>
    private protected void Run(Func<PipelineWriter, CancellationToken, Task> work)
    {
        PrepareOnPipelineThread();
        _pump.Run(async (pipeline, ct) =>
        {
            // The HTTP trace goes back like any other write: verbose lines, through the same writer.
            using (NemoConnection.TraceTo(r => pipeline.WriteVerbose(r.Note is null ? "HTTP " + r : r.ToString())))
                await work(pipeline, ct).ConfigureAwait(false);
        });
    }

    /// <summary>An error record that says what happened and what to do, with the right category (see <see cref="ErrorMapping"/>).</summary>
    protected static ErrorRecord ToErrorRecord(Exception ex, object? target) => ErrorMapping.ToRecord(ex, target);

    /// <summary>
    /// Runs the work for one of several inputs: a failure is a non-terminating error about <paramref name="target"/>, and
    /// the other inputs go on; Ctrl+C still stops the pipeline.
    /// </summary>
    private protected void RunOrWriteError(Func<PipelineWriter, CancellationToken, Task> work, object? target)
    {
        try
        {
            Run(work);
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
        catch (Exception ex) when (ex is NemoApiException or MediaInputException or Local.LocalEngineException or IOException or UnauthorizedAccessException or ArgumentException
                                   || ex is OperationCanceledException)
        {
            WriteError(ToErrorRecord(ex, target));
        }
    }

    /// <summary>Runs the work; a failure ends the cmdlet with a classified terminating error.</summary>
    private protected void RunOrThrow(Func<PipelineWriter, CancellationToken, Task> work, object? target = null)
    {
        try
        {
            Run(work);
        }
        catch (Exception ex) when (ex is NemoApiException or MediaInputException or Local.LocalEngineException or IOException or UnauthorizedAccessException or ArgumentException
                                   || (ex is OperationCanceledException && !StopToken.IsCancellationRequested))
        {
            ThrowTerminatingError(ToErrorRecord(ex, target));
        }
        catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
