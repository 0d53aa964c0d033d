using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// Everything that can be checked before a byte is sent or a credit spent: the source against the service's limits,
/// and what the kind cannot finish on this machine.
/// </summary>
internal sealed class CheckSourceStage : IJobStage
{
    private readonly bool _forUpload;

    /// <param name="forUpload">The service's upload limits apply; on this machine an empty file is ffprobe's to report, and size does not matter.</param>
    public CheckSourceStage(bool forUpload) => _forUpload = forUpload;

    public string Name => "check the source";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (!_forUpload)
        {
            job.Source = MediaRules.CheckFile(job.Request.SourcePath, job.Request.AcceptedExtensions);
            return Task.CompletedTask;
        }
        job.Source = MediaRules.CheckUpload(job.Request.SourcePath, job.Request.AcceptedExtensions);
        job.Request.CheckBeforeCloud(job);
        return Task.CompletedTask;
    }
}
