using NemoVideo.Agent;
using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// One file through the cloud: new session → upload → instruct the agent → check the state → render →
/// poll → download. Cancellable at every step: a running render is cancelled on the server and no partial
/// output is left. A session that vanished (1002) is replaced once and the file starts again.
/// </summary>
public sealed class CloudJob
{
    private readonly NemoApiClient _client;
    private readonly PollSchedule? _schedule;

    public CloudJob(NemoApiClient client, PollSchedule? schedule = null)
    {
        _client = client;
        _schedule = schedule;
    }

    /// <summary>Delays between state reads when the agent's edit has not landed yet.</summary>
    public IReadOnlyList<TimeSpan> StateRetryDelays { get; init; } = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) };

    public async Task<JobResult> RunAsync(MediaJobRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        // Everything that can be checked here is checked before a byte is sent.
        var source = MediaRules.CheckUpload(request.SourcePath, request.AcceptedExtensions);
        var target = Path.GetFullPath(request.OutputPath);
        OutputPaths.CheckWritable(target, request.Overwrite);

        for (var sessionTry = 0; ; sessionTry++)
        {
            try
            {
                return await RunOnceAsync(request, source, target, progress, ct).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.SessionNotFound && sessionTry == 0)
            {
                progress?.Report(new JobProgress(JobStage.Starting, null, "Session lost; starting a new one"));
            }
        }
    }

    private async Task<JobResult> RunOnceAsync(MediaJobRequest request, FileInfo source, string target, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new JobProgress(JobStage.Starting, null, "Creating a session"));
        var session = await _client.CreateSessionAsync("project", request.Language, ct).ConfigureAwait(false);

        progress?.Report(new JobProgress(JobStage.Uploading, 0, $"Uploading {source.Name}"));
        var upload = await _client.UploadFilesAsync(session.SessionId, new[] { source.FullName },
            Report(progress, (Transfers.TransferProgress p) => new JobProgress(JobStage.Uploading, p.Percent, $"Uploading {source.Name}")), ct).ConfigureAwait(false);

        var reply = await AskAsync(session.SessionId, request, progress, ct).ConfigureAwait(false);
        progress?.Report(new JobProgress(JobStage.CheckingState, null, "Checking the timeline"));
        var state = await ExportableStateAsync(session.SessionId, reply, ct).ConfigureAwait(false);
        if (state is null && reply.Interrupted)
        {
            // The stream broke before the edit showed: ask once more (the agent cannot be resumed).
            reply = await AskAsync(session.SessionId, request, progress, ct).ConfigureAwait(false);
            state = await ExportableStateAsync(session.SessionId, reply, ct).ConfigureAwait(false);
        }
        if (state is null)
            throw new NemoApiException(NemoErrorKind.AgentError,
                "The agent did not put anything on the timeline to export" + (reply.Silent ? "" : $" (it said: \"{Shorten(reply.Text)}\")"));

        var (render, file) = await new ExportJob(_client, _schedule).RunAsync(
            new ExportRequest(session.SessionId, state.Draft, target) { Format = request.OutputFormat, Overwrite = request.Overwrite, Timeout = request.RenderTimeout },
            progress, ct).ConfigureAwait(false);

        progress?.Report(new JobProgress(JobStage.Completed, 100, "Done"));
        return new JobResult
        {
            Output = file,
            Source = source.FullName,
            SessionId = session.SessionId,
            RenderId = render.Id,
            BitrateKbps = request switch { Mp3Request { VbrQuality: null } m => m.BitrateKbps, CompressRequest c => c.VideoBitrateKbps, _ => null },
            Duration = upload.Files.FirstOrDefault()?.Duration,
            AgentSummary = reply.Summary,
        };
    }

    private Task<AgentReply> AskAsync(string sessionId, MediaJobRequest request, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new JobProgress(JobStage.AgentWorking, null, "Asking the agent: " + request.Instruction));
        return new AgentConversation(_client).SendAsync(sessionId, request.Instruction,
            Report(progress, (AgentActivity a) => new JobProgress(JobStage.AgentWorking, null,
                a.IsStillWorking ? $"Agent still working ({a.Elapsed.TotalSeconds:0} s)" : "Agent: " + a.Event)), ct);
    }

    /// <summary>The state once the agent's edit shows on the timeline (edits can land a moment after the stream ends), or null.</summary>
    private async Task<SessionState?> ExportableStateAsync(string sessionId, AgentReply reply, CancellationToken ct)
    {
        var state = reply.State ?? await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
        foreach (var delay in StateRetryDelays)
        {
            if (state.CanExport) return state;
            await Task.Delay(delay, ct).ConfigureAwait(false);
            state = await _client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
        }
        return state.CanExport ? state : null;
    }

    private static IProgress<TIn>? Report<TIn>(IProgress<JobProgress>? target, Func<TIn, JobProgress> map) =>
        target is null ? null : new RelayProgress<TIn>(value => target.Report(map(value)));

    private static string Shorten(string s) => s.Length > 160 ? s.Substring(0, 160) + "…" : s;
}
