using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>Where the work is done.</summary>
public enum NemoEngine
{
    /// <summary>The NemoVideo cloud: upload, agent, render, download.</summary>
    Cloud,
    /// <summary>ffmpeg on this machine: nothing leaves it, no credits used.</summary>
    Local,
}

/// <summary>
/// A kind of job (an MP3, a compressed video, …): what is asked, and the kind's part of each stage the engines share —
/// what it checks before work starts, how it plans the encode, how it judges what came out, how it finishes the file
/// and the shape of its result. The engines (<see cref="CloudJob"/>, <see cref="LocalJob"/>) never ask which kind a
/// job is: a new kind is a new subclass, and the stages call it. Every hook has a default that does nothing.
/// </summary>
public abstract class MediaJobRequest
{
    protected MediaJobRequest(string sourcePath, string outputPath)
    {
        SourcePath = sourcePath;
        OutputPath = outputPath;
    }

    public string SourcePath { get; }
    /// <summary>The full path of the file to write.</summary>
    public string OutputPath { get; }
    /// <summary>Replace an existing output file.</summary>
    public bool Overwrite { get; init; }
    /// <summary>How long the render may take before it is cancelled.</summary>
    public TimeSpan RenderTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>The session's language.</summary>
    public string Language { get; init; } = "en";

    /// <summary>What the agent is asked to do.</summary>
    public abstract string Instruction { get; }
    /// <summary>The render's output format.</summary>
    public abstract string OutputFormat { get; }
    /// <summary>The source types this job takes.</summary>
    public virtual IReadOnlyCollection<string> AcceptedExtensions => MediaRules.VideoExtensions;
    /// <summary>The seed skill whose job this is, sent as X-Skill-Source.</summary>
    public abstract string SkillName { get; }

    // ---- before any work: checks that cost nothing ----

    /// <summary>Refuses, before anything is sent or written, what this machine cannot finish (a loudness target without ffmpeg, say).</summary>
    internal virtual void CheckBeforeCloud(JobContext job) { }

    /// <summary>What can be learned of the source here before the upload (tracks, length): the request to send, with anything worked out.</summary>
    internal virtual Task<MediaJobRequest> PrepareForCloudAsync(JobContext job, CancellationToken ct) => Task.FromResult(this);

    /// <summary>
    /// What is sent for this job: the source as it is by default. A kind that needs less of it makes that in the job's
    /// <see cref="JobContext.Scratch"/> folder (the MP3 kind: the one audio track it will use). What this returns is
    /// checked against the service's limit before anything is sent, with <see cref="TooLargeAdvice"/> as the remedy.
    /// </summary>
    internal virtual Task<FileInfo> PrepareUploadAsync(JobContext job, CancellationToken ct) => Task.FromResult(job.Source);

    /// <summary>What would make a job whose upload is over the service's limit work (the source's kind of job, on this machine).</summary>
    internal virtual string TooLargeAdvice(JobContext job) =>
        $"The service takes at most {MediaRules.MaxUploadBytes / 1048576} MB a file: convert it on this machine with -Engine Local, or split it first.";

    // ---- a source over the service's limit, sent in parts (each its own cloud job, joined here) ----

    /// <summary>This job sends its source in parts (<see cref="InPartsStage"/>); false by default: a kind opts in.</summary>
    internal virtual bool SendsInParts(FileInfo source) => false;

    /// <summary>The agent edits this job pays for: one, or one a part for a source sent in parts.</summary>
    public int EditsNeeded() => File.Exists(SourcePath) && SendsInParts(new FileInfo(SourcePath)) ? PartsOf(new FileInfo(SourcePath).Length) : 1;

    /// <summary>How many parts a source of <paramref name="bytes"/> goes in, as planned before it is split (each under the service's limit).</summary>
    internal static int PartsOf(long bytes) => Local.VideoParts.PartsFor(bytes, MediaRules.MaxUploadBytes);

    /// <summary>The request for one part, written to <paramref name="partOutput"/>: what the whole asks, of that part alone.</summary>
    internal virtual MediaJobRequest PartRequest(string partPath, string partOutput) =>
        throw new NotSupportedException($"{GetType().Name} does not send its source in parts.");

    /// <summary>The parts' results joined into the output's temporary file.</summary>
    internal virtual Task JoinPartsAsync(JobContext job, FfmpegTools tools, IReadOnlyList<string> partOutputs, CancellationToken ct) =>
        throw new NotSupportedException($"{GetType().Name} does not send its source in parts.");

    /// <summary>What the agent is asked, once the upload is known (<see cref="Instruction"/> unless the kind says it differently for what was sent).</summary>
    internal virtual string InstructionFor(JobContext job) => Instruction;

    /// <summary>The request once the service has measured the upload (for what could not be measured here).</summary>
    internal virtual MediaJobRequest AfterUpload(JobContext job, UploadedAsset? upload) => this;

    /// <summary>What the render is asked to produce, in both of the service's vocabularies.</summary>
    public abstract RenderOutput RenderOutput { get; }

    // ---- this machine ----

    /// <summary>Work that may start while the source is read (a copy that may turn out to be the whole job).</summary>
    internal virtual void StartOnThisMachine(JobContext job, CancellationToken ct) { }

    /// <summary>What the local engine knows of the source: ffprobe's reading by default.</summary>
    internal virtual async Task ReadSourceAsync(JobContext job, CancellationToken ct) =>
        job.Info = await MediaProbe.ProbeAsync(job.Tools, job.Source.FullName, ct).ConfigureAwait(false);

    /// <summary>The ffmpeg runs that make the output, with anything measured first (the request may be worked out further).</summary>
    internal abstract Task<LocalPlan> PlanOnThisMachineAsync(JobContext job, CancellationToken ct);

    /// <summary>Runs the plan into the output's temporary file.</summary>
    internal virtual Task EncodeAsync(JobContext job, LocalEncoder encoder, CancellationToken ct) => encoder.RunAsync(job.Plan!, (0, 1), ct);

    /// <summary>Reads what was made (<see cref="JobContext.Facts"/>); a kind that can correct a miss once does it here.</summary>
    internal virtual Task MeasureMadeAsync(JobContext job, LocalEncoder encoder, CancellationToken ct)
    {
        job.Facts = MediaInspector.Inspect(job.Output.TempPath);
        return Task.CompletedTask;
    }

    // ---- what came out ----

    /// <summary>What the made file is, judged against what was asked: the kind's rules, then the length against the source's.</summary>
    public OutputJudgement Judge(MediaFacts facts, TimeSpan? sourceDuration)
    {
        var warnings = new List<string>();
        var name = Path.GetFileName(OutputPath);
        var problem = facts.Truncated ? $"the file is damaged ({facts.Describe()})" : JudgeKind(facts, name, warnings);
        if (problem is null) OutputCheck.CompareLength(name, facts, sourceDuration, warnings);
        return new OutputJudgement(problem, warnings);
    }

    /// <summary>Why <paramref name="facts"/> are not what this kind asked (null when they are), adding what is only worth a warning.</summary>
    protected abstract string? JudgeKind(MediaFacts facts, string name, List<string> warnings);

    /// <summary>What to try when this machine's encode is not what was asked (the local engine's error says it).</summary>
    internal virtual string EncodeMissAdvice => "Check that the source plays to its end: it may be damaged or cut short.";

    /// <summary>A render that passed <see cref="Judge"/>, measured further where the kind asks more of it; a problem sends the job to be finished here.</summary>
    internal virtual Task<string?> JudgeRenderAsync(JobContext job, CancellationToken ct) => Task.FromResult<string?>(null);

    /// <summary>Writes what the kind adds to the made file without re-encoding it (tags, chapters, a cover).</summary>
    internal virtual void Finish(JobContext job, CancellationToken ct) { }

    /// <summary>The bitrate a result reports, measured from the file.</summary>
    public abstract int? MeasuredKbps(MediaFacts facts);

    /// <summary>The bitrate asked for (the default one too), or null for VBR.</summary>
    public abstract int? RequestedKbps { get; }

    /// <summary>The result in this kind's shape, with what only this kind reports; the engine fills in the rest.</summary>
    internal abstract JobResult NewResult(JobContext job);

    /// <summary>The result of <paramref name="job"/>: its kind's shape, with what every result carries.</summary>
    internal JobResult Deliver(JobContext job, FileInfo output) => NewResult(job) with
    {
        Output = output, Source = job.Source.FullName, Engine = job.Engine, SessionId = job.SessionId, RenderId = job.Render?.Id ?? string.Join(", ", job.PartRenderIds),
        BitrateKbps = MeasuredKbps(job.Facts!), RequestedBitrateKbps = job.StreamCopied ? null : RequestedKbps,
        Duration = job.Facts!.Duration, SourceDuration = job.SourceDuration, AgentSummary = job.AgentSummary,
        Warnings = job.Warnings, Facts = job.Facts, Notes = job.Note is null ? Array.Empty<string>() : new[] { job.Note },
    };
}

/// <summary>A kind of job whose result has the shape <typeparamref name="TResult"/>: the engines' RunAsync returns it typed.</summary>
public abstract class MediaJobRequest<TResult> : MediaJobRequest where TResult : JobResult
{
    protected MediaJobRequest(string sourcePath, string outputPath) : base(sourcePath, outputPath) { }
}
