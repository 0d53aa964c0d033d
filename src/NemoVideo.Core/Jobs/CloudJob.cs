using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>
/// One file through the cloud: new session → upload → instruct the agent → check the state → render →
/// poll → download → check what came back. Cancellable at every step: a running render is cancelled on the
/// server and no partial output is left. A session that vanished (1002, or ADK's 404) is replaced once.
/// What the service returns is judged from its bytes before it takes its name: a file that is not what was
/// asked is finished on this machine with ffmpeg when it is there, or is an error that names the render.
/// </summary>
public sealed partial class CloudJob
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

    /// <summary>How a dropped agent stream is followed up (the skill's schedule by default).</summary>
    public AgentRecovery Recovery { get; init; } = new();

    /// <summary>ffmpeg for finishing a result that is not what was asked; null when it is not installed (then that is an error).</summary>
    public Func<Local.FfmpegTools?> LocateFfmpeg { get; init; } = () => Local.FfmpegTools.TryLocate();

    /// <summary>Where paid work is written down as it happens and picked up by the next run; null keeps nothing.</summary>
    public PaidWorkJournal? Journal { get; init; }

    public async Task<JobResult> RunAsync(MediaJobRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        // Everything that can be checked here is checked before a byte is sent, or a credit spent:
        // the source, and that the output can be written (its temporary file is made now).
        var source = MediaRules.CheckUpload(request.SourcePath, request.AcceptedExtensions);
        if (request is Mp3Request { Loudness: not null } && LocateFfmpeg() is null)
            throw new Local.LocalEngineException(Local.LocalErrorKind.ToolMissing,
                $"A loudness target for '{source.Name}' is measured on the finished MP3 (and finished here when the service misses it) with ffmpeg, which is not on this machine; nothing was uploaded",
                Local.LocalEngineException.InstallAdvice);
        using var scope = NemoApiClient.ForJob(request.SkillName, source.Name);
        using var output = OutputFile.Create(request.OutputPath, request.Overwrite);
        using var claim = OutputClaim.Take(request.OutputPath, output.TempPath); // one process per output, from before the first paid step
        await CheckTracksAsync(request, source, ct).ConfigureAwait(false);
        request = await SizeAsync(request, source, ct).ConfigureAwait(false); // a size no video fits is refused here, before the upload
        var entry = await OpenJournalAsync(request, source, ct).ConfigureAwait(false);
        if (entry is { Edited: true } && await ResumeAsync(request, source, output, entry, progress, ct).ConfigureAwait(false) is JobResult resumed)
            return Delivered(entry, resumed);
        for (var sessionTry = 0; ; sessionTry++)
        {
            try
            {
                return Delivered(entry, await RunOnceAsync(request, source, output, entry, progress, ct).ConfigureAwait(false));
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.SessionNotFound && sessionTry == 0)
            {
                progress?.Report(new JobProgress(JobStage.Starting, null, "Session lost; starting a new one"));
            }
        }
    }

    private async Task<JobResult> RunOnceAsync(MediaJobRequest request, FileInfo source, OutputFile output, JournalEntry? entry, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new JobProgress(JobStage.Starting, null, "Creating a session"));
        var session = await _client.CreateSessionAsync("project", request.Language, ct).ConfigureAwait(false);

        progress?.Report(new JobProgress(JobStage.Uploading, 0, $"Uploading {source.Name}"));
        var upload = await _client.UploadFilesAsync(session.SessionId, new[] { source.FullName },
            Report(progress, (TransferProgress p) => new JobProgress(JobStage.Uploading, p.Percent, $"Uploading {source.Name}")), ct).ConfigureAwait(false);

        if (request is CompressRequest { TargetSize: not null, VideoBitrateKbps: 0 } unsized) // no length here: the service's measure, before the paid edit
            request = SizedByUpload(unsized, source, upload.Files.FirstOrDefault());

        // Sent once: a second message would be charged twice (a dropped stream is followed up by reading the state).
        progress?.Report(new JobProgress(JobStage.AgentWorking, null, "Asking the agent: " + request.Instruction));
        var reply = await new AgentConversation(_client, Recovery).SendAsync(session.SessionId, request.Instruction,
            Report(progress, (AgentActivity a) => new JobProgress(JobStage.AgentWorking, null,
                a.IsStillWorking ? $"Agent still working ({a.Elapsed.TotalSeconds:0} s)" : "Agent: " + a.Event)), ct).ConfigureAwait(false);
        progress?.Report(new JobProgress(JobStage.CheckingState, null, "Checking the timeline"));
        var state = await ExportableStateAsync(session.SessionId, reply, ct).ConfigureAwait(false);
        if (state is null)
            throw new NemoApiException(NemoErrorKind.AgentError, "The agent did not put anything on the timeline to export"
                + (reply.TrailingError is string error ? $" (it ended with the error \"{Shorten(error)}\")" : reply.Silent ? "" : $" (it said: \"{Shorten(reply.Text)}\")"));
        if (entry != null) { entry.RecordEdit(session.SessionId, upload.Files); Journal!.Save(entry); } // paid for: written down

        var export = new ExportRequest(session.SessionId, state.Draft, output.Target)
        {
            Output = RenderOutput.For(request), Uploads = upload.Files, VideoInfos = state.VideoInfos, Overwrite = request.Overwrite, Timeout = request.RenderTimeout,
        };
        var render = await new ExportJob(_client, _schedule).RenderToAsync(export, output, progress, ct, Submitted(entry)).ConfigureAwait(false);
        return await CompleteAsync(request, source, output, render, session.SessionId, upload.Files.FirstOrDefault()?.Duration, reply.Summary, null, progress, ct).ConfigureAwait(false);
    }

    /// <summary>Judges the downloaded render and commits it, or finishes the job here when it is not what was asked.</summary>
    private async Task<JobResult> CompleteAsync(MediaJobRequest request, FileInfo source, OutputFile output, RenderJob render, string sessionId,
        TimeSpan? sourceDuration, string? agentSummary, string? note, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var facts = MediaInspector.Inspect(output.TempPath);
        var judgement = OutputCheck.Judge(request, facts, sourceDuration);
        if (judgement.Problem is string problem)
            return await FinishLocallyAsync(request, source, output, render, sessionId, $"The service returned a file that is not what was asked: {problem}", progress, ct).ConfigureAwait(false);
        var warnings = new List<string>(judgement.Warnings);
        Local.LoudnessReading? loudness = null;
        if (request is Mp3Request { Loudness: LoudnessTarget target })
        {
            // Measured on the render, never taken from the request: off target, the job is done here from the source.
            progress?.Report(new JobProgress(JobStage.Downloading, 100, $"Measuring the loudness of {Path.GetFileName(output.Target)}"));
            loudness = await Local.LoudnessMeter.MeasureAsync(LocateFfmpeg()!, output.TempPath, 0, null, null, ct).ConfigureAwait(false);
            if (loudness.IsSilent) warnings.Add(Local.LoudnessMeter.Unmeasurable(source.Name)); // made again here, it would be just as silent
            else if (Local.LoudnessMeter.Miss(target, loudness) is string miss)
                return await FinishLocallyAsync(request, source, output, render, sessionId, $"The service's MP3 misses the loudness asked: {miss}", progress, ct).ConfigureAwait(false);
        }
        // NemoVideo documents no tags, chapters or cover: they are written here, onto the service's MP3, without re-encoding it.
        if (request is Mp3Request mp3 && Mp3Tagging.ChangesFor(mp3, MediaInspector.Inspect(source.FullName), facts, warnings) is Id3Changes changes)
            facts = Mp3Tagging.Apply(output, changes, warnings, ct);

        progress?.Report(new JobProgress(JobStage.Completed, 100, "Done"));
        return new JobResult
        {
            Output = output.Commit(), Source = source.FullName, SessionId = sessionId, RenderId = render.Id,
            BitrateKbps = OutputCheck.MeasuredKbps(request, facts), RequestedBitrateKbps = OutputCheck.RequestedKbps(request), IsVbr = facts.IsVbr,
            Duration = facts.Duration, SourceDuration = sourceDuration, AgentSummary = agentSummary, Warnings = warnings,
            Loudness = loudness?.Integrated, TruePeak = loudness?.TruePeak, Facts = facts,
            TargetSize = (request as CompressRequest)?.TargetSize?.Bytes, VideoCodec = facts.VideoCodec,
            Notes = note is null ? Array.Empty<string>() : new[] { note },
        };
    }

    /// <summary>
    /// The render is not what was asked: the same job done from the source with ffmpeg, said in a warning; without
    /// ffmpeg an error that names the render (so what was paid for is not lost) and nothing at the output path.
    /// </summary>
    private async Task<JobResult> FinishLocallyAsync(MediaJobRequest request, FileInfo source, OutputFile output, RenderJob render, string sessionId,
        string problem, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var tools = LocateFfmpeg() ?? throw OutputCheck.WrongOutput(problem, render, output.Target);
        output.Dispose(); // the render's bytes go; the local job writes the target through its own output file
        progress?.Report(new JobProgress(JobStage.Encoding, 0, "Finishing on this machine with ffmpeg"));
        var local = await new Local.LocalJob(tools).ConvertAsync(source, request, progress, ct).ConfigureAwait(false);
        var warnings = new List<string> { $"{problem.TrimEnd('.')}; '{local.Output.Name}' was made from '{source.Name}' on this machine with ffmpeg instead (render {render.Id})." };
        warnings.AddRange(local.Warnings);
        return new JobResult
        {
            Output = local.Output, Source = source.FullName, SessionId = sessionId, RenderId = render.Id, Engine = NemoEngine.Cloud, FinishedLocally = true,
            BitrateKbps = local.BitrateKbps, RequestedBitrateKbps = OutputCheck.RequestedKbps(request), IsVbr = local.IsVbr,
            Duration = local.Duration, SourceDuration = local.SourceDuration, Warnings = warnings,
            Loudness = local.Loudness, TruePeak = local.TruePeak, Facts = local.Facts,
            TargetSize = local.TargetSize, VideoCodec = local.VideoCodec,
        };
    }

    /// <summary>
    /// An MP3 request the source cannot meet is refused before the upload and the agent's paid edit, in the local
    /// engine's words: a named track or language is checked with ffprobe where it is installed; a plain request only
    /// needs audio, which the managed inspector sees in MP4/MOV and Matroska without starting a process.
    /// </summary>
    private async Task CheckTracksAsync(MediaJobRequest request, FileInfo source, CancellationToken ct)
    {
        if (request is not Mp3Request mp3) return;
        if (mp3.AudioTrack is null && mp3.AudioLanguage is null)
        {
            var facts = MediaInspector.Inspect(source.FullName);
            if (facts.HasVideo && !facts.HasAudio && facts.Container is MediaContainer.Mp4 or MediaContainer.Matroska && !facts.Truncated)
                throw new MediaInputException(InputProblem.NoSuchTrack, source.FullName, $"'{source.Name}' has no audio track: there is nothing to extract") { TrackCount = 0 };
            return;
        }
        if (LocateFfmpeg() is not Local.FfmpegTools tools) return;
        Local.MediaInfo info;
        try
        {
            info = await Local.MediaProbe.ProbeAsync(tools, source.FullName, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is Local.LocalEngineException or MediaInputException { Problem: InputProblem.NotMedia })
        {
            return; // not readable here: the service has the last word on what the file is
        }
        Local.LocalPlans.PickAudio(mp3, info);
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
