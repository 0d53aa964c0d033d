using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>The edited timeline rendered as the kind asks, polled, and downloaded into the output's temporary file (uncommitted).</summary>
internal sealed class RenderStage : CloudJob.SessionStage
{
    private readonly CloudJob _engine;

    public RenderStage(CloudJob engine) => _engine = engine;

    public override string Name => "render";

    public override async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.OutputInHand) return; // picked up from an earlier run, or made in parts
        var request = job.Request;
        var export = new ExportRequest(job.SessionId, job.State!.Draft, job.Output.Target)
        {
            Output = request.RenderOutput, Uploads = job.Uploads, VideoInfos = job.State.VideoInfos, Overwrite = request.Overwrite, Timeout = request.RenderTimeout,
        };
        job.Render = await new ExportJob(job.Api, _engine.Schedule).RenderToAsync(export, job.Output, job.Progress, ct,
            job.Entry is null ? null : Submitted(_engine.Journal!, job.Entry)).ConfigureAwait(false);
    }

    /// <summary>The render id is written down as soon as the service gives it: a run killed while it renders polls it next time.</summary>
    internal static Action<RenderJob> Submitted(PaidWorkJournal journal, JournalEntry entry) => render => { entry.RenderId = render.Id; journal.Save(entry); };
}
