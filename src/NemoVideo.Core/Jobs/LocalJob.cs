using NemoVideo.Local;

namespace NemoVideo.Jobs;

/// <summary>
/// The same jobs as <see cref="CloudJob"/>, done by ffmpeg on this machine, as a list of named stages (<see cref="Stages"/>,
/// one file each under Stages/): check the source → reserve the output → probe → plan → encode → measure → judge →
/// finish the file → deliver. The output is written to a temporary file beside the target and renamed only when it
/// is what was asked; on failure or cancel ffmpeg is killed and the temporary file (and any two-pass log) is deleted.
/// </summary>
public sealed class LocalJob
{
    private readonly FfmpegTools _tools;

    public LocalJob(FfmpegTools tools)
    {
        _tools = tools;
        Stages = new IJobStage[]
        {
            new CheckSourceStage(forUpload: false),
            new ReserveOutputStage(claim: false),
            new ProbeStage(),
            new PlanStage(),
            new EncodeStage(),
            new MeasureStage(),
            new JudgeEncodeStage(),
            new FinishFileStage(),
            new DeliverStage(),
        };
    }

    /// <summary>The engine's outline, in order.</summary>
    internal IReadOnlyList<IJobStage> Stages { get; }

    /// <summary>Where two-pass logs are kept while a job runs (the system's temporary folder by default).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    public Task<JobResult> RunAsync(MediaJobRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default) =>
        RunStagesAsync(request, null, progress, ct);

    /// <summary>The job, its result in its kind's shape.</summary>
    public async Task<TResult> RunAsync<TResult>(MediaJobRequest<TResult> request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
        where TResult : JobResult => (TResult)await RunStagesAsync(request, null, progress, ct).ConfigureAwait(false);

    /// <summary>The job on a file already checked (or one the cloud sent back, whatever its name).</summary>
    internal Task<JobResult> ConvertAsync(FileInfo source, MediaJobRequest request, IProgress<JobProgress>? progress, CancellationToken ct) =>
        RunStagesAsync(request, source, progress, ct);

    private async Task<JobResult> RunStagesAsync(MediaJobRequest request, FileInfo? checkedSource, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        using var job = new JobContext(request, NemoEngine.Local, progress, () => _tools)
        {
            Tools = _tools, PassLog = Path.Combine(TempDirectory, "nemo-2pass-" + Guid.NewGuid().ToString("N")),
        };
        try
        {
            foreach (var stage in Stages)
            {
                if (job.Result != null) break;
                if (checkedSource != null && stage is CheckSourceStage) { job.Source = checkedSource; continue; }
                await stage.RunAsync(job, ct).ConfigureAwait(false);
            }
            return job.Result!;
        }
        finally
        {
            await job.RunDeferredAsync().ConfigureAwait(false);
            if (Directory.Exists(TempDirectory))
                foreach (var log in Directory.GetFiles(TempDirectory, Path.GetFileName(job.PassLog) + "*")) TryDelete(log);
        }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
