namespace NemoVideo.Jobs;

/// <summary>The output takes its name, and the result says what the file is, in its kind's shape.</summary>
internal sealed class DeliverStage : IJobStage
{
    public string Name => "deliver";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Report(JobStage.Completed, 100, "Done");
        job.Result = job.Request.Deliver(job, job.Output.Commit());
        return Task.CompletedTask;
    }
}
