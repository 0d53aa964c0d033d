using System.Management.Automation;

namespace NemoVideo.PowerShell;

/// <summary>What Get-NemoRender and Stop-NemoRender share: render ids from the pipeline, and a connection.</summary>
public abstract class RenderCmdlet : NemoCmdlet
{
    /// <summary>Render ids (render_…); bound from the Id or RenderId of piped objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RenderId")]
    [ArgumentCompleter(typeof(RenderIdCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Id { get; set; }

    /// <summary>The connection to use; the current one by default.</summary>
    [Parameter]
    public NemoConnection? Session { get; set; }
}
