using NemoVideo.Local;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>
/// The output's temporary file, made now, so an unwritable folder is reported before any work; on the cloud also the
/// claim that keeps a second process from paying for the same output while this one works on it.
/// </summary>
internal sealed class ReserveOutputStage : IJobStage
{
    private readonly bool _claim;

    public ReserveOutputStage(bool claim) => _claim = claim;

    public string Name => "reserve the output";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        var target = job.Request.OutputPath;
        if (_claim)
        {
            job.Output = OutputFile.Create(target, job.Request.Overwrite);
            job.Claim = OutputClaim.Take(target, job.Output.TempPath); // one process per output, from before the first paid step
            return Task.CompletedTask;
        }
        try
        {
            job.Output = OutputFile.Create(target, job.Request.Overwrite);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new LocalEngineException(LocalErrorKind.OutputNotWritable, $"Cannot write to '{Path.GetDirectoryName(Path.GetFullPath(target))}': {ex.Message}",
                "Choose a folder you can write to.", inner: ex);
        }
        return Task.CompletedTask;
    }
}
