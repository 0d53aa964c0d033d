using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>
/// One job on its way through an engine's stages (<see cref="IJobStage"/>): what was asked, the source, the output
/// being written, and what each stage found for the next. Disposing it deletes an output that was never committed.
/// </summary>
internal sealed class JobContext : IDisposable
{
    private readonly Dictionary<Type, object> _kindState = new();

    public JobContext(MediaJobRequest request, NemoEngine engine, IProgress<JobProgress>? progress, Func<FfmpegTools?> locateFfmpeg)
    {
        Request = request;
        Engine = engine;
        Progress = progress;
        LocateFfmpeg = locateFfmpeg;
    }

    /// <summary>What is asked; a stage may replace it with the request worked out further (a target size's bitrate).</summary>
    public MediaJobRequest Request { get; set; }
    public NemoEngine Engine { get; }
    public IProgress<JobProgress>? Progress { get; }
    /// <summary>ffmpeg where it is installed, else null.</summary>
    public Func<FfmpegTools?> LocateFfmpeg { get; }

    /// <summary>The source, checked.</summary>
    public FileInfo Source { get; set; } = null!;
    /// <summary>The output's temporary file beside its target.</summary>
    public OutputFile Output { get; set; } = null!;
    /// <summary>This process's claim on the output (the cloud's: paid work must not be done twice at once).</summary>
    public IDisposable? Claim { get; set; }

    // The cloud.
    /// <summary>The API client for this job: its calls are attributed to the kind's skill and traced with the file's name.</summary>
    public Api.NemoApiClient Api { get; set; } = null!;
    public string SessionId { get; set; } = "";
    /// <summary>What is sent: the source, or what the kind made of it in <see cref="Scratch"/> (the one audio track an MP3 needs).</summary>
    public FileInfo? Upload { get; set; }
    public IReadOnlyList<UploadedAsset> Uploads { get; set; } = Array.Empty<UploadedAsset>();
    public string? AgentSummary { get; set; }
    public SessionState? State { get; set; }
    /// <summary>The render downloaded into the output's temporary file (or resumed from an earlier run).</summary>
    public RenderJob? Render { get; set; }
    /// <summary>The source went in parts (<see cref="InPartsStage"/>) and their results are joined in the output's temporary file.</summary>
    public bool MadeInParts { get; set; }
    /// <summary>The renders of the parts made in this run.</summary>
    public IReadOnlyList<string> PartRenderIds { get; set; } = Array.Empty<string>();
    /// <summary>The output's bytes are in hand (a render picked up from an earlier run, or parts joined): nothing more is sent.</summary>
    public bool OutputInHand => Render != null || MadeInParts;
    /// <summary>Where paid work is written down; null when nothing is kept.</summary>
    public JournalEntry? Entry { get; set; }
    /// <summary>Why the render is not what was asked: the job is then finished on this machine.</summary>
    public string? Problem { get; set; }

    // This machine.
    public FfmpegTools Tools { get; set; } = null!;
    /// <summary>ffprobe's (or the managed inspector's) reading of the source.</summary>
    public MediaInfo? Info { get; set; }
    /// <summary>What the managed inspector read of the source, once read (the tag carries what the source carries).</summary>
    public MediaFacts? SourceFacts { get; set; }
    public LocalPlan? Plan { get; set; }
    /// <summary>Where a two-pass encode keeps its statistics.</summary>
    public string PassLog { get; set; } = "";
    /// <summary>The output is the source's audio copied as it was.</summary>
    public bool StreamCopied { get; set; }

    // What was made.
    public TimeSpan? SourceDuration { get; set; }
    /// <summary>What the output is, read from its bytes.</summary>
    public MediaFacts? Facts { get; set; }
    public List<string> Warnings { get; } = new();
    /// <summary>A line for -Verbose (work of an earlier run picked up).</summary>
    public string? Note { get; set; }
    /// <summary>The result, once a stage has it: the stages after it do not run.</summary>
    public JobResult? Result { get; set; }

    /// <summary>The source's facts, read once however many stages ask.</summary>
    public MediaFacts ReadSourceFacts() => SourceFacts ??= MediaInspector.Inspect(Source.FullName);

    /// <summary>ffprobe's reading of the source where ffmpeg is installed (read once, kept in <see cref="Info"/>); null where it is not, or cannot read the file (the service then has the last word on what it is).</summary>
    public async Task<MediaInfo?> TryProbeSourceAsync(CancellationToken ct)
    {
        if (Info != null) return Info;
        if (LocateFfmpeg() is not FfmpegTools tools) return null;
        try
        {
            return Info = await MediaProbe.ProbeAsync(tools, Source.FullName, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is LocalEngineException or MediaInputException { Problem: InputProblem.NotMedia })
        {
            return null;
        }
    }

    private ScratchFolder? _scratch;

    /// <summary>The job's own temp folder, made when first asked for and removed with the job (a killed run's, by the next run).</summary>
    public ScratchFolder Scratch => _scratch ??= ScratchFolder.Create(ScratchRoot);

    /// <summary>Where <see cref="Scratch"/> is made; the user's temp folder by default.</summary>
    public string? ScratchRoot { get; init; }

    /// <summary>What a kind keeps between its own hooks during this job.</summary>
    public T KindState<T>() where T : class, new()
    {
        if (!_kindState.TryGetValue(typeof(T), out var state)) _kindState[typeof(T)] = state = new T();
        return (T)state;
    }

    private readonly List<Action> _delivered = new();

    /// <summary>Work for when the output has been delivered, and only then (what a rerun would need is kept otherwise).</summary>
    public void OnDelivered(Action action) => _delivered.Add(action);

    /// <summary>Runs what waited for the delivery.</summary>
    public void RunDelivered()
    {
        foreach (var action in _delivered) action();
        _delivered.Clear();
    }

    private readonly List<Func<Task>> _deferred = new();

    /// <summary>Work to finish however the job ends (a speculative copy stopped, say), before its files are cleaned up.</summary>
    public void Defer(Func<Task> cleanup) => _deferred.Add(cleanup);

    /// <summary>Runs what was deferred, last first.</summary>
    public async Task RunDeferredAsync()
    {
        for (var i = _deferred.Count - 1; i >= 0; i--) await _deferred[i]().ConfigureAwait(false);
        _deferred.Clear();
    }

    public void Report(JobStage stage, int? percent, string status) => Progress?.Report(new JobProgress(stage, percent, status));

    public void Dispose()
    {
        Claim?.Dispose();
        Output?.Dispose();
        _scratch?.Dispose();
    }
}

/// <summary>One named step of an engine; the engine runs its list in order, and a kind of job plays its part through the request's hooks.</summary>
internal interface IJobStage
{
    /// <summary>What the step does, in a few words (the list reads as the engine's outline).</summary>
    string Name { get; }
    Task RunAsync(JobContext job, CancellationToken ct);
}
