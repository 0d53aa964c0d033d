using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// Everything that can be checked before a byte is read or a credit spent: the source against the service's rules,
/// and what the kind cannot finish on this machine.
/// </summary>
internal sealed class CheckSourceStage : IJobStage
{
    private readonly bool _forUpload;

    /// <param name="forUpload">For the cloud: an empty file is refused here (the size of what is sent is checked once it is known, <see cref="PrepareUploadStage"/>); on this machine an empty file is ffprobe's to report.</param>
    public CheckSourceStage(bool forUpload) => _forUpload = forUpload;

    public string Name => "check the source";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (!_forUpload)
        {
            job.Source = MediaRules.CheckFile(job.Request.SourcePath, job.Request.AcceptedExtensions);
            return Task.CompletedTask;
        }
        job.Source = MediaRules.CheckSource(job.Request.SourcePath, job.Request.AcceptedExtensions);
        job.Request.CheckBeforeCloud(job);
        return Task.CompletedTask;
    }
}
