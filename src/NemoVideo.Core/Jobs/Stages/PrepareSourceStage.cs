namespace NemoVideo.Jobs;

/// <summary>What the kind learns of the source before the upload (its tracks, its length): a request the source cannot meet is refused, a target size worked out.</summary>
internal sealed class PrepareSourceStage : IJobStage
{
    public string Name => "prepare the source";

    public async Task RunAsync(JobContext job, CancellationToken ct) =>
        job.Request = await job.Request.PrepareForCloudAsync(job, ct).ConfigureAwait(false);
}
