namespace NemoVideo.Jobs;

/// <summary>What the kind writes onto the made file without re-encoding it (an MP3's tag, chapters and cover), on either engine.</summary>
internal sealed class FinishFileStage : IJobStage
{
    public string Name => "finish the file";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Request.Finish(job, ct);
        return Task.CompletedTask;
    }
}
