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
                if (PassThru) pipeline.WriteObject(job);
            }, id);
        }
    }
}
