namespace NemoVideo.Jobs;

/// <summary>ffmpeg runs the plan into the output's temporary file, its progress reported as it goes.</summary>
internal sealed class EncodeStage : IJobStage
{
    public string Name => "encode";

    public Task RunAsync(JobContext job, CancellationToken ct) => job.Request.EncodeAsync(job, new LocalEncoder(job), ct);
}
