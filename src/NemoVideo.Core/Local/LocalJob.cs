using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Local;

/// <summary>
/// The same jobs as <see cref="CloudJob"/>, done by ffmpeg on this machine: probe, plan the arguments,
/// encode into a temporary file beside the target with progress from ffmpeg's -progress, then rename. On
/// failure or cancel ffmpeg is killed and the temporary file (and any two-pass log) is deleted.
/// </summary>
public sealed partial class LocalJob
{
    private readonly FfmpegTools _tools;

    public LocalJob(FfmpegTools tools) => _tools = tools;

    /// <summary>Where two-pass logs are kept while a job runs (the system's temporary folder by default).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    public Task<JobResult> RunAsync(MediaJobRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        // The cloud's checks but the upload limits: an empty file is ffprobe's to report, and size does not matter here.
        var source = MediaRules.CheckFile(request.SourcePath, request.AcceptedExtensions);
        return ConvertAsync(source, request, progress, ct);
    }

    /// <summary>
    /// The job on a file already checked (or one the cloud sent back, whatever its name): encode into the output's
    /// temporary file, check it from its bytes, then give it its name.
    /// </summary>
    internal async Task<JobResult> ConvertAsync(FileInfo source, MediaJobRequest request, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        using var output = CreateOutput(request.OutputPath, request.Overwrite);
        var temp = output.TempPath;
        var passLog = Path.Combine(TempDirectory, "nemo-2pass-" + Guid.NewGuid().ToString("N"));
        // A request that may end as a plain stream copy starts copying while ffprobe looks at the file: for an MP3
        // source the copy is the whole job, and overlapping the two roughly halves it. Anything else makes the
        // copy fail at once (the MP3 muxer takes only MP3), or it is stopped when the probe says otherwise.
        using var speculation = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var copyArgs = request is Mp3Request mp3 ? LocalPlans.SpeculativeCopy(mp3, source.FullName, temp) : null;
        var speculativeCopy = copyArgs is null ? null : FfmpegTools.RunAsync(_tools.Ffmpeg, copyArgs, null, speculation.Token);
        try
        {
            progress?.Report(new JobProgress(JobStage.Starting, null, $"Probing {source.Name}"));
            // An MP3 job asks only what the managed inspector can tell (tracks, codecs, length): ffprobe runs when it cannot.
            // The same reading gives the tag what the source carries.
            var sourceFacts = request is Mp3Request ? Media.MediaInspector.Inspect(source.FullName) : null;
            var info = (sourceFacts is null ? null : MediaProbe.FromFacts(source.FullName, sourceFacts))
                ?? await MediaProbe.ProbeAsync(_tools, source.FullName, ct).ConfigureAwait(false);
            request = TargetSizeEncode.Plan(request, info);
            // A loudness target is measured on the source first (decode only), and the encode applies the gain.
            var loudness = request is Mp3Request { Loudness: not null } lm ? await MeasureSourceAsync(lm, info, progress, ct).ConfigureAwait(false) : null;
            var plan = request switch
            {
                Mp3Request m => LocalPlans.Mp3(m, info, temp, loudness?.Filter, alsoToStdout: loudness?.Filter != null),
                CompressRequest c => LocalPlans.Compress(c, info, temp, passLog),
                _ => throw new NotSupportedException(request.GetType().Name),
            };
            var done = false;
            if (speculativeCopy != null)
            {
                if (plan.StreamCopied && plan.Passes[0].SequenceEqual(copyArgs!))
                    done = (await speculativeCopy.ConfigureAwait(false)).ExitCode == 0; // else: run the plan, which does the same again
                else
                    await StopAsync(speculation, speculativeCopy).ConfigureAwait(false);
            }
            // With a loudness target the MP3 is measured while it is made: the encoder's output goes to a meter as well.
            LoudnessReading? made = null;
            if (done) { }
            else if (loudness?.Filter != null) made = await EncodeMeasuredAsync(plan, source, info, MeasureShare, progress, ct).ConfigureAwait(false);
            else await EncodeAsync(plan, source, info, loudness is null ? (0, 1) : (MeasureShare, 1 - MeasureShare), progress, ct).ConfigureAwait(false);
            // Off target, the loudness check encodes once more: the file is read and judged only once that is settled.
            LoudnessReading? measured = null;
            if (request is Mp3Request { Loudness: LoudnessTarget target } loud && loudness!.Filter != null)
                measured = await CheckLoudnessAsync(loud, target, info, loudness, made!, source, temp, progress, ct).ConfigureAwait(false);
            var facts = Media.MediaInspector.Inspect(temp);
            (request, facts) = await TargetSizeEncode.CorrectAsync(request, facts, info, temp, passLog, p => EncodeAsync(p, source, info, (0, 1), progress, ct)).ConfigureAwait(false);
            if (OutputCheck.Judge(request, facts, null).Problem is string problem)
                throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"ffmpeg's output for '{source.Name}' is not what was asked: {problem}",
                    "Check that the file plays; try again in one pass or at another height.");
            var warnings = new List<string>(OutputCheck.Judge(request, facts, info.Duration).Warnings);
            if (loudness is { Filter: null }) warnings.Add(LoudnessMeter.Unmeasurable(source.Name));
            if (request is Mp3Request tagged) facts = Tag(tagged, sourceFacts!, output, facts, warnings, ct);
            progress?.Report(new JobProgress(JobStage.Completed, 100, "Done"));
            return new JobResult
            {
                Output = output.Commit(), Source = source.FullName, Engine = NemoEngine.Local, StreamCopied = plan.StreamCopied,
                BitrateKbps = OutputCheck.MeasuredKbps(request, facts), RequestedBitrateKbps = plan.StreamCopied ? null : OutputCheck.RequestedKbps(request),
                IsVbr = facts.IsVbr, Duration = facts.Duration, SourceDuration = info.Duration, SessionId = "",
                Loudness = measured?.Integrated, TruePeak = measured?.TruePeak, Facts = facts, Warnings = warnings,
                TargetSize = (request as CompressRequest)?.TargetSize?.Bytes, VideoCodec = facts.VideoCodec,
            };
        }
        finally
        {
            if (speculativeCopy != null) await StopAsync(speculation, speculativeCopy).ConfigureAwait(false);
            if (Directory.Exists(TempDirectory))
                foreach (var log in Directory.GetFiles(TempDirectory, Path.GetFileName(passLog) + "*")) TryDelete(log);
        }
    }

    /// <summary>Runs the plan's passes, reporting each as its share of <paramref name="window"/> (start, span) of the job.</summary>
    private async Task EncodeAsync(LocalPlan plan, FileInfo source, MediaInfo info, (double Start, double Span) window, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        for (var pass = 0; pass < plan.Passes.Count; pass++)
        {
            var (from, share) = (window.Start + window.Span * pass / plan.Passes.Count, window.Span / plan.Passes.Count);
            var label = plan.Passes.Count > 1 ? $"Encoding {source.Name} (pass {pass + 1} of {plan.Passes.Count})" : $"Encoding {source.Name}";
            progress?.Report(new JobProgress(JobStage.Encoding, (int)(from * 100), label));
            var run = await FfmpegTools.RunAsync(_tools.Ffmpeg, plan.Passes[pass], line =>
            {
                if (progress != null && FfmpegProgress.TryRead(line, info.Duration, out var share01))
                    progress.Report(new JobProgress(JobStage.Encoding, (int)((from + share * share01) * 100), label));
            }, ct).ConfigureAwait(false);
            if (run.ExitCode != 0) throw LocalEngineException.Failed($"convert '{source.Name}'", run);
        }
    }

    private static async Task StopAsync(CancellationTokenSource cts, Task<ToolRun> run)
    {
        cts.Cancel();
        try { await run.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>The output's temporary file, made now, so an unwritable folder is reported before any encoding.</summary>
    private static Transfers.OutputFile CreateOutput(string target, bool overwrite)
    {
        try
        {
            return Transfers.OutputFile.Create(target, overwrite);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new LocalEngineException(LocalErrorKind.OutputNotWritable, $"Cannot write to '{Path.GetDirectoryName(Path.GetFullPath(target))}': {ex.Message}",
                "Choose a folder you can write to.", inner: ex);
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Reads ffmpeg's -progress lines.</summary>
internal static class FfmpegProgress
{
    /// <summary>True, with the share done (0..1), for an out_time line of a file of known duration.</summary>
    public static bool TryRead(string line, TimeSpan? duration, out double share)
    {
        share = 0;
        if (duration is not TimeSpan d || d <= TimeSpan.Zero) return false;
        // out_time_us and (despite its name) out_time_ms are both microseconds.
        string? value = line.StartsWith("out_time_us=", StringComparison.Ordinal) ? line.Substring(12)
            : line.StartsWith("out_time_ms=", StringComparison.Ordinal) ? line.Substring(12) : null;
        if (value == null || !long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var us) || us < 0) return false;
        share = Math.Min(1, us / (d.TotalMilliseconds * 1000));
        return true;
    }
}
