using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// The MP3 kind on the cloud sends only the audio it needs: the one track the job will use, taken out on this machine
/// into one of the service's audio types (<see cref="AudioTakeOut"/> with ffmpeg; without it the module's own readers
/// copy AAC or MP3 frames out of MP4/MOV and Matroska/WebM, <see cref="AudioTrackExtraction"/>). For a recording that
/// is a few per cent of the bytes, and the video never leaves the machine. What cannot be taken out goes whole if it
/// fits; -SendWholeFile sends the whole file anyway.
/// </summary>
public sealed partial class Mp3Request
{
    internal override async Task<FileInfo> PrepareUploadAsync(JobContext job, CancellationToken ct)
    {
        if (SendWholeFile) return Sendable(job.Source);
        var upload = await TakeOutAsync(job, ct).ConfigureAwait(false);
        return upload.FullName == job.Source.FullName ? Sendable(upload) : upload;
    }

    /// <summary>A source that goes as it is must be of a type the service takes (.flac, .ogg, .m4b are not): else refused before anything is sent.</summary>
    private FileInfo Sendable(FileInfo source)
    {
        if (MediaRules.FileTypeOf(source.FullName) != null) return source;
        var types = string.Join(" ", MediaRules.VideoExtensions.Concat(MediaRules.AudioExtensions).Select(e => e.TrimStart('.')));
        throw new MediaInputException(InputProblem.UnsupportedType, source.FullName,
            $"'{source.Name}' cannot be sent as it is: the service takes {types}; nothing was sent", types)
        {
            Advice = SendWholeFile ? "Leave out -SendWholeFile: then its audio is sent in a type the service takes."
                : "ffmpeg turns its audio into one of those for the upload. " + LocalEngineException.InstallAdvice,
        };
    }

    private async Task<FileInfo> TakeOutAsync(JobContext job, CancellationToken ct)
    {
        var state = job.KindState<Mp3State>();
        var source = job.Source;
        var tools = job.LocateFfmpeg();
        var info = tools != null ? await job.TryProbeSourceAsync(ct).ConfigureAwait(false) : MediaProbe.FromFacts(source.FullName, job.ReadSourceFacts());
        if (info is null)
        {
            state.WhyWhole = tools is null ? "the module's own readers could not read its audio tracks, and ffmpeg, which could, is not on this machine. " + LocalEngineException.InstallAdvice
                : "ffprobe could not read its tracks: check that the file plays (it may be damaged or not media).";
            return source;
        }
        var audio = PickAudio(info); // a track the source does not have is refused here, in the local engine's words
        job.SourceDuration = info.Duration; // the result is judged against the source, not against what was sent
        var stem = Path.GetFileNameWithoutExtension(source.Name);
        var label = $"Taking the audio out of {source.Name}";
        job.Report(JobStage.Starting, null, label);
        if (tools != null)
        {
            var how = AudioTakeOut.For(audio, info.Duration, MediaRules.MaxUploadBytes);
            var path = job.Scratch.File(stem + how.Extension);
            await how.RunAsync(tools, source.FullName, audio, info.Duration, path,
                share => job.Report(JobStage.Starting, null, $"{label} ({share:P0})"), ct).ConfigureAwait(false);
            state.SentAudio = how.Description;
            return new FileInfo(path);
        }
        if (AudioTrackExtraction.TryPlan(source.FullName, audio.TypeIndex, out var whyNot) is not AudioTrackExtraction extraction)
        {
            state.WhyWhole = $"{whyNot}; ffmpeg can take it out, and it is not on this machine. " + LocalEngineException.InstallAdvice;
            return source;
        }
        var file = job.Scratch.File(stem + extraction.Extension);
        await Task.Run(() =>
        {
            using var output = new FileStream(file, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            extraction.Extract(output, new RelayProgress<double>(share => job.Report(JobStage.Starting, null, $"{label} ({share:P0})")), ct);
        }, ct).ConfigureAwait(false);
        state.SentAudio = extraction.Codec + " copied by the module's own reader";
        return new FileInfo(file);
    }

    internal override string TooLargeAdvice(JobContext job)
    {
        var state = job.KindState<Mp3State>();
        if (SendWholeFile) return "Leave out -SendWholeFile: then only its audio track is sent, a few per cent of the file.";
        if (state.WhyWhole is string why) return "Only its audio track is needed, but " + why;
        return "Even its audio alone is over the limit: split the recording, or convert it on this machine with -Engine Local.";
    }
}
