using NemoVideo.Api;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// What will be sent, made and checked before a byte goes: the kind makes what it needs of the source (the MP3 kind,
/// its one audio track), and that is held to the service's size limit, with the kind's word on what would make it work.
/// </summary>
internal sealed class PrepareUploadStage : IJobStage
{
    public string Name => "prepare the upload";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.OutputInHand) return; // picked up from an earlier run, or made in parts: nothing more is sent
        var upload = await job.Request.PrepareUploadAsync(job, ct).ConfigureAwait(false);
        upload.Refresh();
        if (upload.Length > MediaRules.MaxUploadBytes)
        {
            var what = upload.FullName == job.Source.FullName ? $"'{job.Source.Name}' is {Megabytes(upload.Length)}"
                : $"What '{job.Source.Name}' needs sent ({upload.Name}) is {Megabytes(upload.Length)}";
            throw new MediaInputException(InputProblem.TooLarge, job.Source.FullName,
                $"{what}, over the service's {MediaRules.MaxUploadBytes / 1048576} MB limit; nothing was sent") { Advice = job.Request.TooLargeAdvice(job) };
        }
        job.Upload = upload;
    }

    internal static string Megabytes(long bytes) => $"{bytes / 1048576.0:0} MB";
}
