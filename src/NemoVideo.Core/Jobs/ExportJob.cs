using System.Text.Json;
using NemoVideo.Api;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>What to export and where.</summary>
public sealed class ExportRequest
{
    public ExportRequest(string sessionId, JsonElement draft, string outputPath)
    {
        SessionId = sessionId;
        Draft = draft;
        OutputPath = outputPath;
    }

    public string SessionId { get; }
    public JsonElement Draft { get; }
    public string OutputPath { get; }
    /// <summary>The plain format asked for (Invoke-NemoExport -Format); <see cref="Output"/> wins when given.</summary>
    public string Format { get; init; } = "mp4";
    public string Quality { get; init; } = "high";
    /// <summary>The exact render request of a job; null for <see cref="RenderOutput.ForFormat"/> of Format and Quality.</summary>
    public RenderOutput? Output { get; init; }
    /// <summary>Files uploaded to the session, whose service paths in the draft are rewritten to their CDN addresses.</summary>
    public IReadOnlyList<UploadedAsset> Uploads { get; init; } = Array.Empty<UploadedAsset>();
    /// <summary>The state's video_infos, another source of those addresses.</summary>
    public JsonElement VideoInfos { get; init; }
    public bool Overwrite { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>What an export made: the render, the file, what the file is, and anything the user should know.</summary>
public sealed class ExportResult
{
    public RenderJob Render { get; init; } = null!;
    public FileInfo File { get; init; } = null!;
    public MediaFacts Facts { get; init; } = null!;
    public bool FinishedLocally { get; init; }
    public IReadOnlyList<string> Warnings { get; init; } = Array.Empty<string>();
}

/// <summary>Render → poll → download → check: the export half of every job, and Invoke-NemoExport on its own.</summary>
public sealed class ExportJob
{
    /// <summary>The formats Invoke-NemoExport offers.</summary>
    public static readonly IReadOnlyList<string> Formats = new[] { "mp4", "mov", "webm", "mp3", "wav", "m4a", "aac" };

    private readonly NemoApiClient _client;
    private readonly PollSchedule? _schedule;

    public ExportJob(NemoApiClient client, PollSchedule? schedule = null)
    {
        _client = client;
        _schedule = schedule;
    }

    /// <summary>ffmpeg for finishing a result that is not what was asked; null when it is not installed.</summary>
    public Func<Local.FfmpegTools?> LocateFfmpeg { get; init; } = () => Local.FfmpegTools.TryLocate();

    /// <summary>
    /// Exports to <see cref="ExportRequest.OutputPath"/>. The file is checked from its bytes before it takes its
    /// name: an MP3 asked for and a video received is finished here with ffmpeg (the audio extracted), or is an
    /// error that names the render; any other format must at least be whole media of the kind asked.
    /// </summary>
    public async Task<ExportResult> RunAsync(ExportRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        using var output = OutputFile.Create(request.OutputPath, request.Overwrite);
        var render = await RenderToAsync(request, output, progress, ct).ConfigureAwait(false);
        var facts = MediaInspector.Inspect(output.TempPath);
        var wanted = (request.Output?.Format ?? request.Format).ToLowerInvariant();
        var problem = OutputCheck.ForFormat(wanted, facts);
        if (problem is null)
            return new ExportResult { Render = render, File = output.Commit(), Facts = facts };

        // The one case that can be finished from the render itself: the audio of a video, as MP3.
        var tools = wanted == "mp3" && facts.HasAudio && !facts.Truncated ? LocateFfmpeg() : null;
        if (tools is null) throw OutputCheck.WrongOutput(problem, render, output.Target);
        progress?.Report(new JobProgress(JobStage.Encoding, 0, "Extracting the audio on this machine"));
        var local = await new LocalJob(tools).ConvertAsync(new FileInfo(output.TempPath),
            new Mp3Request(output.TempPath, output.Target) { Overwrite = request.Overwrite }, progress, ct).ConfigureAwait(false);
        return new ExportResult
        {
            Render = render, File = local.Output, Facts = MediaInspector.Inspect(local.Output.FullName), FinishedLocally = true,
            Warnings = new[] { $"{problem}; the audio was extracted on this machine with ffmpeg (render {render.Id})." },
        };
    }

    /// <summary>Submits the render, waits for it and downloads it into <paramref name="output"/>'s temporary file, uncommitted.</summary>
    internal async Task<RenderJob> RenderToAsync(ExportRequest request, OutputFile output, IProgress<JobProgress>? progress, CancellationToken ct,
        Action<RenderJob>? submitted = null)
    {
        var draft = DraftMedia.RewriteServicePaths(request.Draft, request.Uploads, request.VideoInfos);
        progress?.Report(new JobProgress(JobStage.Rendering, 0, "Rendering"));
        var render = await _client.SubmitRenderAsync(request.SessionId, draft, request.Output ?? RenderOutput.ForFormat(request.Format, request.Quality), ct).ConfigureAwait(false);
        submitted?.Invoke(render);
        return await WaitAndDownloadAsync(render, request.Timeout, output, progress, ct).ConfigureAwait(false);
    }

    /// <summary>Waits for a render submitted before (by this run or one before it) and downloads it, uncommitted.</summary>
    internal async Task<RenderJob> WaitAndDownloadAsync(RenderJob render, TimeSpan timeout, OutputFile output, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        render = await new RenderPoller(_client, _schedule).WaitAsync(render, timeout,
            progress is null ? null : new RelayProgress<RenderJob>(r => progress.Report(new JobProgress(JobStage.Rendering, (int)r.Progress, $"Rendering ({r.Status.ToString().ToLowerInvariant()})"))), ct).ConfigureAwait(false);

        var name = Path.GetFileName(output.Target);
        progress?.Report(new JobProgress(JobStage.Downloading, 0, "Downloading " + name));
        await _client.DownloadRenderAsync(render, output,
            progress is null ? null : new RelayProgress<TransferProgress>(p => progress.Report(new JobProgress(JobStage.Downloading, p.Percent, "Downloading " + name))), ct).ConfigureAwait(false);
        return render;
    }
}

/// <summary>Reports synchronously, in order, capturing no context (unlike Progress&lt;T&gt;).</summary>
public sealed class RelayProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;
    public RelayProgress(Action<T> report) => _report = report;
    public void Report(T value) => _report(value);
}
