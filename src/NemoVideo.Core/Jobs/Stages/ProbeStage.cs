namespace NemoVideo.Jobs;

/// <summary>What the source is, as ffprobe (or, where it can tell, the managed inspector) reads it; work that may turn out to be the whole job starts meanwhile.</summary>
internal sealed class ProbeStage : IJobStage
{
    public string Name => "probe";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Request.StartOnThisMachine(job, ct);
        job.Report(JobStage.Starting, null, $"Probing {job.Source.Name}");
        await job.Request.ReadSourceAsync(job, ct).ConfigureAwait(false);
        job.SourceDuration = job.Info!.Duration;
    }
}
