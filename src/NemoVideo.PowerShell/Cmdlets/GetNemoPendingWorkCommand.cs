using System.Management.Automation;
using NemoVideo.Jobs;
using NemoVideo.Auth;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Lists the work earlier runs paid for and did not deliver, which the same command run again finishes without a new edit.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoPendingWork")]
[OutputType(typeof(PendingWork))]
public sealed class GetNemoPendingWorkCommand : NemoCmdlet
{
    protected override void EndProcessing()
    {
        var config = (ModuleState.Current?.Client.Environment ?? NemoEnvironment.Default).ConfigDirectory;
        foreach (var entry in new PaidWorkJournal(config).List()) WriteObject(PendingWork.From(entry));
    }
}
