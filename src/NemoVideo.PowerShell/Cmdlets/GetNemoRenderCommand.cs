using System.Management.Automation;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets the status of NemoVideo renders (exports) by id.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoRender")]
[OutputType(typeof(RenderJob))]
public sealed class GetNemoRenderCommand : NemoCmdlet
{
    /// <summary>Render ids (render_…); bound from the Id or RenderId of piped objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RenderId")]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>The connection to use; the current one by default.</summary>
    [Parameter]
    public NemoConnection? Session { get; set; }

    protected override void ProcessRecord()
    {
        var connection = Session ?? GetConnection();
        foreach (var id in Id!)
            RunOrThrow(async ct =>
            {
                var job = await connection.Client.GetRenderAsync(id, ct).ConfigureAwait(false);
                Post(() => WriteObject(job));
            }, id);
    }
}
