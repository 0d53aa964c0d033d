using NemoVideo.Jobs;
using NemoVideo.Media;

namespace NemoVideo.Local;

/// <summary>The MP3 side of the local engine: loudness measured and reached in the encode, then the tag finished.</summary>
public sealed partial class LocalJob
{
    // With a loudness target the job is: measure the source (decode only, sample peak), then encode with the gain while
    // a second ffmpeg measures the MP3 being written (true peak), both at once.
    private const double MeasureShare = 0.15;

    /// <summary>The source's audio as measured, and the filter that takes it to the target (null for silence).</summary>
    private sealed class SourceLoudness
    {
        public SourceLoudness(LoudnessReading reading, string? filter, int sampleRate)
        {
            Reading = reading;
            Filter = filter;
            SampleRate = sampleRate;
        }

        public LoudnessReading Reading { get; }
        public string? Filter { get; }
        public int SampleRate { get; }
    }

    private async Task<SourceLoudness> MeasureSourceAsync(Mp3Request request, MediaInfo info, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var audio = LocalPlans.PickAudio(request, info);
        var name = Path.GetFileName(info.Path);
        var label = $"Measuring the loudness of {name}";
        progress?.Report(new JobProgress(JobStage.Encoding, 0, label));
        // The sample peak is enough to choose between a plain gain and the limiter: the MP3's true peak is measured anyway.
        var reading = await LoudnessMeter.MeasureAsync(_tools, info.Path, audio.TypeIndex, info.Duration,
            share => progress?.Report(new JobProgress(JobStage.Encoding, (int)(share * MeasureShare * 100), label)), ct, truePeak: false).ConfigureAwait(false);
        // MP3 takes 48 kHz at most; loudnorm works at 192 kHz and is resampled back to this.
        var rate = Math.Min(48000, audio.SampleRate ?? 44100);
        return new SourceLoudness(reading, reading.IsSilent ? null : LoudnessMeter.FilterFor(request.Loudness!, reading, rate), rate);
    }

    /// <summary>
    /// The MP3 as measured while it was made; one off target (the encoder's low-pass takes a little loudness away, an
    /// inter-sample peak the source's sample peak did not show) is encoded once more with the difference taken into
    /// account; still off, it is an error that says what came out.
    /// </summary>
    private async Task<LoudnessReading> CheckLoudnessAsync(Mp3Request request, LoudnessTarget target, MediaInfo info, SourceLoudness source,
        LoudnessReading made, FileInfo file, string temp, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        if (LoudnessMeter.Miss(target, made) is null) return made;
        var correction = target.Integrated - made.Integrated;
        if (made.TruePeak > target.TruePeak) correction = Math.Min(correction, target.TruePeak - made.TruePeak - 0.2);
        var plan = LocalPlans.Mp3(request, info, temp, LoudnessMeter.FilterFor(target, source.Reading, source.SampleRate, correction), alsoToStdout: true);
        var measured = await EncodeMeasuredAsync(plan, file, info, MeasureShare, progress, ct).ConfigureAwait(false);
        if (LoudnessMeter.Miss(target, measured) is string miss)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                $"The MP3 made from '{file.Name}' does not reach {target}: {miss} (the source measures {source.Reading})",
                "Choose a target nearer the source's loudness, or a lower true peak limit; very quiet sources with loud peaks need limiting ffmpeg cannot do within the limit.");
        return measured;
    }

    /// <summary>The plan's one pass, its MP3 also fed to ebur128 as it is written; the reading of what was written.</summary>
    private async Task<LoudnessReading> EncodeMeasuredAsync(LocalPlan plan, FileInfo source, MediaInfo info, double from, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var label = $"Encoding {source.Name} at its loudness";
        progress?.Report(new JobProgress(JobStage.Encoding, (int)(from * 100), label));
        var (encode, meter) = await FfmpegTools.RunPipedAsync(_tools.Ffmpeg, plan.Passes[0], LoudnessMeter.MeasureArgs("pipe:0"), line =>
        {
            if (progress != null && FfmpegProgress.TryRead(line, info.Duration, out var share))
                progress.Report(new JobProgress(JobStage.Encoding, (int)((from + (1 - from) * share) * 100), label));
        }, ct).ConfigureAwait(false);
        if (encode.ExitCode != 0) throw LocalEngineException.Failed($"convert '{source.Name}'", encode);
        return LoudnessMeter.Read(meter, $"the MP3 of '{source.Name}'");
    }

    /// <summary>The tag finished through the one writer: the request's tags, chapters and cover, and the source's own cover.</summary>
    private static MediaFacts Tag(Mp3Request request, MediaFacts source, Transfers.OutputFile output, MediaFacts facts, ICollection<string> warnings, CancellationToken ct)
    {
        // ffmpeg carried most of the source's tags and chapters; what it could not (a cover from an attachment, chapters
        // through the tee muxer) and the request's own are written here.
        var changes = Mp3Tagging.ChangesFor(request, source, facts, warnings);
        return changes is null ? facts : Mp3Tagging.Apply(output, changes, warnings, ct);
    }
}
