using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Local;

namespace NemoVideo.Jobs;

/// <summary>
/// One file through the cloud, as a list of named stages (<see cref="Stages"/>, one file each under CloudStages/):
/// check the source → reserve the output → prepare the source → pick up paid work → send in parts (a source over the limit) → prepare the upload → send → edit → render → judge →
/// finish here → finish the file → deliver. Cancellable at every step: a running render is cancelled on the server and
/// no partial output is left. A session that vanished (1002, or ADK's 404) is replaced once. What the service returns
/// is judged from its bytes before it takes its name: a file that is not what was asked is finished on this machine
/// with ffmpeg when it is there, or is an error that names the render. Each kind of job plays its part through the
/// request's hooks (<see cref="MediaJobRequest"/>).
/// </summary>
public sealed class CloudJob
{
    public CloudJob(NemoApiClient client, PollSchedule? schedule = null)
    {
        Client = client;
        Schedule = schedule;
        Stages = new IJobStage[]
        {
            new CheckSourceStage(forUpload: true),
            new ReserveOutputStage(claim: true),
            new PrepareSourceStage(),
            new ResumeStage(this),
            new InPartsStage(this),
            new PrepareUploadStage(),
            new SendStage(),
            new EditStage(this),
            new RenderStage(this),
            new JudgeRenderStage(),
            new FinishHereStage(this),
            new FinishFileStage(),
            new DeliverStage(),
        };
    }

    internal NemoApiClient Client { get; }
    internal PollSchedule? Schedule { get; }
    /// <summary>The engine's outline, in order.</summary>
    internal IReadOnlyList<IJobStage> Stages { get; }

    /// <summary>Delays between state reads when the agent's edit has not landed yet.</summary>
    public IReadOnlyList<TimeSpan> StateRetryDelays { get; init; } = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) };

    /// <summary>How a dropped agent stream is followed up (the skill's schedule by default).</summary>
    public AgentRecovery Recovery { get; init; } = new();

    /// <summary>ffmpeg for finishing a result that is not what was asked; null when it is not installed (then that is an error).</summary>
    public Func<FfmpegTools?> LocateFfmpeg { get; init; } = () => FfmpegTools.TryLocate();

    /// <summary>How many parts of a source sent in parts are at the service at once (uploading, edited, rendering).</summary>
    public int PartsAtOnce { get; init; } = 2;

    /// <summary>Where each job's temporary folder is made (<see cref="Transfers.ScratchFolder"/>); the user's temp folder when null.</summary>
    public string? ScratchRoot { get; init; }

    /// <summary>Where paid work is written down as it happens and picked up by the next run; null keeps nothing.</summary>
    public PaidWorkJournal? Journal { get; init; }

    public Task<JobResult> RunAsync(MediaJobRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default) =>
        RunStagesAsync(request, progress, ct);

    /// <summary>The job, its result in its kind's shape.</summary>
    public async Task<TResult> RunAsync<TResult>(MediaJobRequest<TResult> request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
        where TResult : JobResult => (TResult)await RunStagesAsync(request, progress, ct).ConfigureAwait(false);

    private async Task<JobResult> RunStagesAsync(MediaJobRequest request, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        using var job = new JobContext(request, NemoEngine.Cloud, progress, LocateFfmpeg)
        {
            Api = Client.ForJob(request.SkillName, Path.GetFileName(request.SourcePath)), ScratchRoot = ScratchRoot,
        };
        var sessionReplaced = false;
        for (var i = 0; i < Stages.Count && job.Result is null; i++)
        {
            try
            {
                await Stages[i].RunAsync(job, ct).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.SessionNotFound && Stages[i] is SessionStage && !sessionReplaced)
            {
                sessionReplaced = true;
                job.Report(JobStage.Starting, null, "Session lost; starting a new one");
                i = Stages.ToList().FindIndex(s => s is SessionStage) - 1; // from the new session on, once
            }
        }
        if (job.Entry != null) Journal!.Remove(job.Entry); // delivered: nothing is left to pick up
        job.RunDelivered();
        return job.Result!;
    }

    /// <summary>A stage that works in the job's session: when the service has lost it, the job goes on from the first of them in a new one.</summary>
    internal abstract class SessionStage : IJobStage
    {
        public abstract string Name { get; }
        public abstract Task RunAsync(JobContext job, CancellationToken ct);
    }
}
