using System.Text.Json;
using NemoVideo.Api;

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
    public string Format { get; init; } = "mp4";
    public string Quality { get; init; } = "high";
    public bool Overwrite { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>Render → poll → download: the export half of every job, and Invoke-NemoExport on its own.</summary>
public sealed class ExportJob
{
    /// <summary>The formats the render endpoint documents.</summary>
    public static readonly IReadOnlyList<string> Formats = new[] { "mp4", "mov", "webm", "mp3", "wav", "m4a", "aac" };

    private readonly NemoApiClient _client;
    private readonly PollSchedule? _schedule;

    public ExportJob(NemoApiClient client, PollSchedule? schedule = null)
    {
        _client = client;
        _schedule = schedule;
    }

    /// <summary>The finished render and the file it was saved to.</summary>
    public async Task<(RenderJob Render, FileInfo File)> RunAsync(ExportRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        var target = Path.GetFullPath(request.OutputPath);
        OutputPaths.CheckWritable(target, request.Overwrite);
        progress?.Report(new JobProgress(JobStage.Rendering, 0, "Rendering"));
        var render = await _client.SubmitRenderAsync(request.SessionId, request.Draft, request.Format, request.Quality, ct).ConfigureAwait(false);
        render = await new RenderPoller(_client, _schedule).WaitAsync(render, request.Timeout,
            progress is null ? null : new RelayProgress<RenderJob>(r => progress.Report(new JobProgress(JobStage.Rendering, (int)r.Progress, $"Rendering ({r.Status.ToString().ToLowerInvariant()})"))), ct).ConfigureAwait(false);

        var name = Path.GetFileName(target);
        progress?.Report(new JobProgress(JobStage.Downloading, 0, "Downloading " + name));
        var file = await _client.DownloadRenderAsync(render, target, request.Overwrite,
            progress is null ? null : new RelayProgress<Transfers.TransferProgress>(p => progress.Report(new JobProgress(JobStage.Downloading, p.Percent, "Downloading " + name))), ct).ConfigureAwait(false);
        return (render, file);
    }
}

/// <summary>Reports synchronously, in order, capturing no context (unlike Progress&lt;T&gt;).</summary>
public sealed class RelayProgress<T> : IProgress<T>
{
    private readonly Action<T> _report;
    public RelayProgress(Action<T> report) => _report = report;
    public void Report(T value) => _report(value);
}
