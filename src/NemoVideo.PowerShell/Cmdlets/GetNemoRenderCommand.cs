using System.Management.Automation;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets the status of NemoVideo renders (exports) by id.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoRender")]
[OutputType(typeof(RenderJob))]
public sealed class GetNemoRenderCommand : RenderCmdlet
{
    protected override void ProcessRecord()
    {
        var connection = Session ?? GetConnection();
        foreach (var id in Id!)
            RunOrWriteError(async (pipeline, ct) => // an unknown id is an error about that id; the others are still looked up
            {
                var job = await connection.Client.GetRenderAsync(id, ct).ConfigureAwait(false);
                connection.RememberRender(job.Id);
                pipeline.WriteObject(job);
            }, id);
    }
}
