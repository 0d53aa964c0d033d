using System.Management.Automation;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Forgets the current connection and, with -ClearCache, the cached token.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "Nemo", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectNemoCommand : NemoCmdlet
{
    /// <summary>Also delete the cached token for this API, so the next connection gets a new one.</summary>
    [Parameter]
    public SwitchParameter ClearCache { get; set; }

    protected override void EndProcessing()
    {
        var connection = ModuleState.Current;
        if (connection == null)
        {
            WriteVerbose("Not connected.");
            return;
        }
        if (!ShouldProcess(connection.BaseUri.ToString(), ClearCache ? "Disconnect and delete the cached token" : "Disconnect")) return;
        if (ClearCache) connection.Client.Tokens.Forget(clearCache: true);
        ModuleState.Clear();
    }
}
