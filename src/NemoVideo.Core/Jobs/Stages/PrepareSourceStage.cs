using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>What the kind learns of the source before the upload (its tracks, its length): a request the source cannot meet is refused, a target size worked out.</summary>
internal sealed class PrepareSourceStage : IJobStage
{
    public string Name => "prepare the source";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        // A file the managed inspector does not know as media is asked of ffprobe, where it is installed: not media
        // (a text file renamed .mp4) is refused here, before a session is made or a byte sent.
        if (job.ReadSourceFacts().Container is MediaContainer.Unknown or MediaContainer.Other && job.LocateFfmpeg() is FfmpegTools tools)
            job.Info ??= await MediaProbe.ProbeAsync(tools, job.Source.FullName, ct).ConfigureAwait(false);
        job.Request = await job.Request.PrepareForCloudAsync(job, ct).ConfigureAwait(false);
    }
}
