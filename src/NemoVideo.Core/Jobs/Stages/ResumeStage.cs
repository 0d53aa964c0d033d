using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// Picks up what an earlier run paid for (the <see cref="PaidWorkJournal"/>), so an edit is never paid twice: its
/// render is polled (or, if the service no longer has it, the edited timeline is rendered again, which is free) and
/// downloaded. When the service no longer knows the session or its edit, the entry is forgotten and the job starts afresh.
/// </summary>
internal sealed class ResumeStage : IJobStage
{
    private readonly CloudJob _engine;

    public ResumeStage(CloudJob engine) => _engine = engine;

    public string Name => "pick up paid work";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (_engine.Journal is not PaidWorkJournal journal) return;
        var token = await job.Api.Tokens.GetAsync(ct).ConfigureAwait(false);
        var entry = job.Entry = journal.Open(job.Request, job.Source, token.Fingerprint, job.Api.Options.BaseUri);
        if (!entry.Edited) return;
        var when = entry.Created.ToLocalTime().ToString("yyyy-MM-dd HH:mm");
        var export = new ExportJob(job.Api, _engine.Schedule);
        var request = job.Request;
        try
        {
            var render = entry.RenderId is string id ? await KnownRenderAsync(job.Api, id, ct).ConfigureAwait(false) : null;
            string note;
            if (render != null)
            {
                job.Report(JobStage.Rendering, (int)render.Progress, $"Resuming render {render.Id} of the run of {when}");
                render = await export.WaitAndDownloadAsync(render, request.RenderTimeout, job.Output, job.Progress, ct).ConfigureAwait(false);
                note = $"Render {render.Id} of '{job.Source.Name}' from the run of {when} resumed: no new edit.";
            }
            else
            {
                job.Report(JobStage.CheckingState, null, $"Rendering the edit paid for in the run of {when}");
                var state = await job.Api.GetStateAsync(entry.SessionId!, ct).ConfigureAwait(false);
                if (!state.CanExport) { Forget(journal, entry); return; }
                var again = new ExportRequest(entry.SessionId!, state.Draft, job.Output.Target)
                {
                    Output = request.RenderOutput, Uploads = entry.UploadedAssets(), VideoInfos = state.VideoInfos, Overwrite = request.Overwrite, Timeout = request.RenderTimeout,
                };
                render = await export.RenderToAsync(again, job.Output, job.Progress, ct, RenderStage.Submitted(journal, entry)).ConfigureAwait(false);
                note = $"The edit of '{job.Source.Name}' paid for in the run of {when} (session {entry.SessionId}) rendered: no new edit.";
            }
            job.Render = render;
            job.SessionId = entry.SessionId!;
            job.Note = note;
            job.SourceDuration = entry.Uploads.FirstOrDefault()?.DurationSeconds is double s ? TimeSpan.FromSeconds(s) : null;
        }
        catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.SessionNotFound)
        {
            Forget(journal, entry);
        }
    }

    /// <summary>The render as the service has it now, or null when it failed, was cancelled or is unknown (gone).</summary>
    private static async Task<RenderJob?> KnownRenderAsync(NemoApiClient client, string id, CancellationToken ct)
    {
        try
        {
            var render = await client.GetRenderAsync(id, ct).ConfigureAwait(false);
            return render.Status is RenderStatus.Failed or RenderStatus.Cancelled ? null : render;
        }
        catch (NemoApiException ex) when (ex.Kind is not (NemoErrorKind.Unreachable or NemoErrorKind.ServerError or NemoErrorKind.RateLimited
                                                           or NemoErrorKind.TokenInvalid or NemoErrorKind.Timeout))
        {
            return null;
        }
    }

    private static void Forget(PaidWorkJournal journal, JournalEntry entry)
    {
        journal.Remove(entry);
        entry.Restart();
    }
}
