using NemoVideo.Api;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>A target size in the cloud: the bitrate is worked out from the source's measured length before anything is uploaded.</summary>
public sealed partial class CloudJob
{
    /// <summary>
    /// The request with its bitrate worked out from the source's length (the managed inspector's, else ffprobe's where it
    /// is installed); a size no watchable video fits is an error before the upload. Left as it is when the length cannot
    /// be measured here: then the service's measure, from the upload, is used before the paid edit.
    /// </summary>
    private async Task<MediaJobRequest> SizeAsync(MediaJobRequest request, FileInfo source, CancellationToken ct)
    {
        if (request is not CompressRequest { TargetSize: not null } sized) return request;
        var facts = MediaInspector.Inspect(source.FullName);
        var duration = facts.Duration;
        var height = facts.Height;
        bool? audio = facts.Container is MediaContainer.Mp4 or MediaContainer.Matroska && !facts.Truncated ? facts.HasAudio : null;
        if ((duration is null || height is null || audio is null) && LocateFfmpeg() is Local.FfmpegTools tools)
        {
            try
            {
                var info = await Local.MediaProbe.ProbeAsync(tools, source.FullName, ct).ConfigureAwait(false);
                duration ??= info.Duration;
                height ??= info.Video?.Height;
                audio ??= info.AudioStreams.Count > 0;
            }
            catch (Exception ex) when (ex is Local.LocalEngineException or MediaInputException { Problem: InputProblem.NotMedia })
            {
                // not readable here: the service has the last word on what the file is
            }
        }
        return duration is TimeSpan d ? SizeTarget.Plan(sized, d, height, SizeTarget.CloudAudio(audio ?? true)) : request;
    }

    /// <summary>The length the service measured, for a source whose length could not be read here; audio as the inspector saw it (assumed when it could not tell).</summary>
    private static CompressRequest SizedByUpload(CompressRequest request, FileInfo source, UploadedAsset? upload)
    {
        var facts = MediaInspector.Inspect(source.FullName);
        var audio = facts.Container is MediaContainer.Mp4 or MediaContainer.Matroska && !facts.Truncated ? facts.HasAudio : true;
        return SizeTarget.Plan(request, upload?.Duration ?? TimeSpan.Zero, upload?.Height ?? facts.Height, SizeTarget.CloudAudio(audio));
    }
}
