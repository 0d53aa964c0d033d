namespace NemoVideo.Jobs;

/// <summary>What was made, read from its bytes; a kind whose target can be missed (a loudness, a size) corrects it here, once.</summary>
internal sealed class MeasureStage : IJobStage
{
    public string Name => "measure";

    public Task RunAsync(JobContext job, CancellationToken ct) => job.Request.MeasureMadeAsync(job, new LocalEncoder(job), ct);
}
