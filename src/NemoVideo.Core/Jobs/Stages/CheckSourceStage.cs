using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// Everything that can be checked before a byte is sent or a credit spent: the source against the service's limits,
/// and what the kind cannot finish on this machine.
/// </summary>
internal sealed class CheckSourceStage : IJobStage
{
    public string Name => "check the source";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Source = job.Engine == NemoEngine.Cloud
            ? MediaRules.CheckUpload(job.Request.SourcePath, job.Request.AcceptedExtensions)
            // The cloud's checks but the upload limits: an empty file is ffprobe's to report, and size does not matter here.
            : MediaRules.CheckFile(job.Request.SourcePath, job.Request.AcceptedExtensions);
        if (job.Engine == NemoEngine.Cloud) job.Request.CheckBeforeCloud(job);
        return Task.CompletedTask;
    }
}
