using NemoVideo.Jobs;
using NemoVideo.Media;

namespace NemoVideo.Local;

/// <summary>The MP3 side of the local engine: loudness measured and reached in the encode, then the tag finished.</summary>
public sealed partial class LocalJob
{
    // With a loudness target the job is: measure the source (decode only), encode with the gain, measure the MP3.
    private const double MeasureShare = 0.3, EncodeShare = 0.6;

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
        var reading = await LoudnessMeter.MeasureAsync(_tools, info.Path, audio.TypeIndex, info.Duration,
            share => progress?.Report(new JobProgress(JobStage.Encoding, (int)(share * MeasureShare * 100), label)), ct).ConfigureAwait(false);
        // MP3 takes 48 kHz at most; loudnorm works at 192 kHz and is resampled back to this.
        var rate = Math.Min(48000, audio.SampleRate ?? 44100);
        return new SourceLoudness(reading, reading.IsSilent ? null : LoudnessMeter.FilterFor(request.Loudness!, reading, rate), rate);
    }

    /// <summary>
    /// Measures the MP3 made; a result off target (the encoder's low-pass takes a little loudness away) is encoded once
    /// more with the difference added; still off, it is an error that says what came out.
    /// </summary>
    private async Task<LoudnessReading> CheckLoudnessAsync(Mp3Request request, LoudnessTarget target, MediaInfo info, SourceLoudness source,
        FileInfo file, string temp, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var end = MeasureShare + EncodeShare;
        var measured = await MeasureOutputAsync(temp, file.Name, end, progress, ct).ConfigureAwait(false);
        if (LoudnessMeter.Miss(target, measured) is null) return measured;
        var correction = target.Integrated - measured.Integrated;
        if (measured.TruePeak > target.TruePeak) correction = Math.Min(correction, target.TruePeak - measured.TruePeak - 0.2);
        var plan = LocalPlans.Mp3(request, info, temp, LoudnessMeter.FilterFor(target, source.Reading, source.SampleRate, correction));
        await EncodeAsync(plan, file, info, (end, 0), progress, ct).ConfigureAwait(false);
        measured = await MeasureOutputAsync(temp, file.Name, end, progress, ct).ConfigureAwait(false);
        if (LoudnessMeter.Miss(target, measured) is string miss)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                $"The MP3 made from '{file.Name}' does not reach {target}: {miss} (the source measures {source.Reading})",
                "Choose a target nearer the source's loudness, or a lower true peak limit; very quiet sources with loud peaks need limiting ffmpeg cannot do within the limit.");
        return measured;
    }

    private async Task<LoudnessReading> MeasureOutputAsync(string temp, string name, double from, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var label = $"Measuring the loudness of the MP3 of {name}";
        progress?.Report(new JobProgress(JobStage.Encoding, (int)(from * 100), label));
        return await LoudnessMeter.MeasureAsync(_tools, temp, 0, null, null, ct).ConfigureAwait(false);
    }

    /// <summary>The tag finished through the one writer: the request's tags, chapters and cover, and the source's own cover.</summary>
    private static Task<MediaFacts> TagAsync(Mp3Request request, FileInfo source, Transfers.OutputFile output, MediaFacts facts, CancellationToken ct)
    {
        // ffmpeg carried the source's tags and chapters over; what it cannot do (a cover from an attachment, the request's own) is done here.
        var changes = Mp3Tagging.ChangesFor(request, MediaInspector.Inspect(source.FullName), sourceTagsCarried: true);
        return Task.FromResult(changes is null ? facts : Mp3Tagging.Apply(output, changes, ct));
    }
}
