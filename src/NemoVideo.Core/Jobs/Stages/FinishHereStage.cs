namespace NemoVideo.Jobs;

/// <summary>
/// The render is not what was asked: the same job done from the source with ffmpeg, said in a warning; without ffmpeg
/// an error that names the render (so what was paid for is not lost) and nothing at the output path.
/// </summary>
internal sealed class FinishHereStage : IJobStage
{
    private readonly CloudJob _engine;

    public FinishHereStage(CloudJob engine) => _engine = engine;

    public string Name => "finish here";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.Problem is not string problem) return;
        var renders = job.Render?.Id ?? string.Join(", ", job.PartRenderIds);
        var tools = job.LocateFfmpeg() ?? throw OutputCheck.WrongOutput(problem, job.Render!, job.Output.Target); // parts need ffmpeg: never null then
        job.Output.Dispose(); // the render's bytes go; the local job writes the target through its own output file
        job.Report(JobStage.Encoding, 0, "Finishing on this machine with ffmpeg");
        var local = await new LocalJob(tools).ConvertAsync(job.Source, job.Request, job.Progress, ct).ConfigureAwait(false);
        var warnings = new List<string> { $"{problem.TrimEnd('.')}; '{local.Output.Name}' was made from '{job.Source.Name}' on this machine with ffmpeg instead (render {renders})." };
        warnings.AddRange(local.Warnings);
        job.Result = local with
        {
            SessionId = job.SessionId, RenderId = renders, Engine = NemoEngine.Cloud, FinishedLocally = true,
            RequestedBitrateKbps = job.Request.RequestedKbps, Warnings = warnings,
        };
    }
}
