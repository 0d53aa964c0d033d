using System.Management.Automation;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Cancels NemoVideo renders (exports) that are still running.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "NemoRender", SupportsShouldProcess = true)]
[OutputType(typeof(RenderJob))]
public sealed class StopNemoRenderCommand : RenderCmdlet
{
    /// <summary>Write the cancelled render to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var connection = Session ?? GetConnection();
        foreach (var id in Id!)
        {
            if (!ShouldProcess(id, "Cancel the render")) continue;
            RunOrWriteError(async (pipeline, ct) =>
            {
                var job = await connection.Client.CancelRenderAsync(id, ct).ConfigureAwait(false);
                connection.RememberRender(job.Id);
                // A render that had finished (or failed) is not stopped: say so, rather than a row that looks like a cancellation.
                if (job.Status is RenderStatus.Completed or RenderStatus.Failed)
                    pipeline.WriteWarning($"Render {id} had already {(job.Status == RenderStatus.Completed ? "completed" : "failed")}: nothing was cancelled.");
                if (PassThru) pipeline.WriteObject(job);
            }, id);
        }
    }
}
