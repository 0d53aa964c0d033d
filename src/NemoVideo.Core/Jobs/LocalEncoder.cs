using System.Globalization;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>The ffmpeg runs a job needs, and whether the output is the source's audio copied as it was.</summary>
internal sealed class LocalPlan
{
    public LocalPlan(IReadOnlyList<IReadOnlyList<string>> passes, int? bitrateKbps, bool streamCopied)
    {
        Passes = passes;
        BitrateKbps = bitrateKbps;
        StreamCopied = streamCopied;
    }

    public IReadOnlyList<IReadOnlyList<string>> Passes { get; }
    public int? BitrateKbps { get; }
    public bool StreamCopied { get; }
}

/// <summary>Runs a job's ffmpeg passes on this machine, turning ffmpeg's -progress lines into the job's progress.</summary>
internal sealed class LocalEncoder
{
    /// <summary>What every run starts with: quiet, no questions, progress on standard output.</summary>
    public static IReadOnlyList<string> CommonArgs => FfmpegTools.CommonArgs;

    private readonly JobContext _job;

    public LocalEncoder(JobContext job) => _job = job;

    private string Name => _job.Source.Name;

    /// <summary>Runs the plan's passes, reporting each as its share of <paramref name="window"/> (start, span) of the job.</summary>
    public async Task RunAsync(LocalPlan plan, (double Start, double Span) window, CancellationToken ct)
    {
        for (var pass = 0; pass < plan.Passes.Count; pass++)
        {
            var (from, share) = (window.Start + window.Span * pass / plan.Passes.Count, window.Span / plan.Passes.Count);
            var label = plan.Passes.Count > 1 ? $"Encoding {Name} (pass {pass + 1} of {plan.Passes.Count})" : $"Encoding {Name}";
            _job.Report(JobStage.Encoding, (int)(from * 100), label);
            var run = await FfmpegTools.RunAsync(_job.Tools.Ffmpeg, plan.Passes[pass], line =>
            {
                if (FfmpegProgress.TryRead(line, _job.Info?.Duration, out var share01))
                    _job.Report(JobStage.Encoding, (int)((from + share * share01) * 100), label);
            }, ct).ConfigureAwait(false);
            if (run.ExitCode != 0) throw LocalEngineException.Failed($"convert '{Name}'", run);
        }
    }

    /// <summary>The plan's one pass, its output also fed to ebur128 as it is written; the reading of what was written.</summary>
    public async Task<LoudnessReading> RunMeasuredAsync(LocalPlan plan, double from, CancellationToken ct)
    {
        var label = $"Encoding {Name} at its loudness";
        _job.Report(JobStage.Encoding, (int)(from * 100), label);
        var (encode, meter) = await FfmpegTools.RunPipedAsync(_job.Tools.Ffmpeg, plan.Passes[0], LoudnessMeter.MeasureArgs("pipe:0"), line =>
        {
            if (FfmpegProgress.TryRead(line, _job.Info?.Duration, out var share))
                _job.Report(JobStage.Encoding, (int)((from + (1 - from) * share) * 100), label);
        }, ct).ConfigureAwait(false);
        if (encode.ExitCode != 0) throw LocalEngineException.Failed($"convert '{Name}'", encode);
        return LoudnessMeter.Read(meter, $"the MP3 of '{Name}'");
    }
}
