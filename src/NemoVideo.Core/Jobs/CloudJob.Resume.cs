using NemoVideo.Api;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>Picking up what an earlier run paid for (the <see cref="PaidWorkJournal"/>), so an edit is never paid twice.</summary>
public sealed partial class CloudJob
{
    private async Task<JournalEntry?> OpenJournalAsync(MediaJobRequest request, FileInfo source, CancellationToken ct)
    {
        if (Journal is null) return null;
        var token = await _client.Tokens.GetAsync(ct).ConfigureAwait(false);
        return Journal.Open(request, source, token.Fingerprint, _client.Options.BaseUri);
    }

    /// <summary>The render id is written down as soon as the service gives it: a run killed while it renders polls it next time.</summary>
    private Action<RenderJob>? Submitted(JournalEntry? entry) =>
        entry is null ? null : render => { entry.RenderId = render.Id; Journal!.Save(entry); };

    /// <summary>The output is committed: nothing is left to pick up.</summary>
    private JobResult Delivered(JournalEntry? entry, JobResult result)
    {
        if (entry != null) Journal!.Remove(entry);
        return result;
    }

    /// <summary>
    /// An earlier run's edit landed: its render is polled (or, if the service no longer has it, the edited timeline is
    /// rendered again, which is free) and downloaded. Null when the service no longer knows the session or its edit:
    /// then the job starts afresh, and the entry is forgotten.
    /// </summary>
    private async Task<JobResult?> ResumeAsync(MediaJobRequest request, FileInfo source, OutputFile output, JournalEntry entry,
        IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var when = entry.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm");
        var export = new ExportJob(_client, _schedule);
        try
        {
            var render = entry.RenderId is string id ? await KnownRenderAsync(id, ct).ConfigureAwait(false) : null;
            string note;
            if (render != null)
            {
                progress?.Report(new JobProgress(JobStage.Rendering, (int)render.Progress, $"Resuming render {render.Id} of the run of {when}"));
                render = await export.WaitAndDownloadAsync(render, request.RenderTimeout, output, progress, ct).ConfigureAwait(false);
                note = $"Render {render.Id} of '{source.Name}' from the run of {when} resumed: no new edit.";
            }
            else
            {
                progress?.Report(new JobProgress(JobStage.CheckingState, null, $"Rendering the edit paid for in the run of {when}"));
                var state = await _client.GetStateAsync(entry.SessionId!, ct).ConfigureAwait(false);
                if (!state.CanExport) return Forget(entry);
                var again = new ExportRequest(entry.SessionId!, state.Draft, output.Target)
                {
                    Output = RenderOutput.For(request), Uploads = entry.UploadedAssets(), VideoInfos = state.VideoInfos, Overwrite = request.Overwrite, Timeout = request.RenderTimeout,
                };
                render = await export.RenderToAsync(again, output, progress, ct, Submitted(entry)).ConfigureAwait(false);
                note = $"The edit of '{source.Name}' paid for in the run of {when} (session {entry.SessionId}) rendered: no new edit.";
            }
            var sourceDuration = entry.Uploads.FirstOrDefault()?.DurationSeconds is double s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null;
            return await CompleteAsync(request, source, output, render, entry.SessionId!, sourceDuration, null, note, progress, ct).ConfigureAwait(false);
        }
        catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.SessionNotFound)
        {
            return Forget(entry);
        }
    }

    /// <summary>The render as the service has it now, or null when it failed, was cancelled or is unknown (gone).</summary>
    private async Task<RenderJob?> KnownRenderAsync(string id, CancellationToken ct)
    {
        try
        {
            var render = await _client.GetRenderAsync(id, ct).ConfigureAwait(false);
            return render.Status is RenderStatus.Failed or RenderStatus.Cancelled ? null : render;
        }
        catch (NemoApiException ex) when (ex.Kind is not (NemoErrorKind.Unreachable or NemoErrorKind.ServerError or NemoErrorKind.RateLimited
                                                           or NemoErrorKind.TokenInvalid or NemoErrorKind.Timeout))
        {
            return null;
        }
    }

    private JobResult? Forget(JournalEntry entry)
    {
        Journal!.Remove(entry);
        entry.Restart();
        return null;
    }
}
