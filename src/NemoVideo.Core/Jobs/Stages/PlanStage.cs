namespace NemoVideo.Jobs;

/// <summary>The ffmpeg runs that make what the kind asks, from what the probe found (and what the kind measured first).</summary>
internal sealed class PlanStage : IJobStage
{
    public string Name => "plan";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Plan = await job.Request.PlanOnThisMachineAsync(job, ct).ConfigureAwait(false);
        job.StreamCopied = job.Plan.StreamCopied;
    }
}
