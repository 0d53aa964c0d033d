using System.Management.Automation;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets the current connection: API address, account, token source and default session.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoSession")]
[OutputType(typeof(NemoConnection))]
public sealed class GetNemoSessionCommand : NemoCmdlet
{
    protected override void EndProcessing()
    {
        if (ModuleState.Current is NemoConnection c) WriteObject(c);
        else WriteVerbose("Not connected; run Connect-Nemo.");
    }
}
