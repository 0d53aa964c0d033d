using System.Management.Automation;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets the credit balance of the connected account.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoCredit")]
[OutputType(typeof(CreditBalance))]
public sealed class GetNemoCreditCommand : NemoCmdlet
{
    protected override void EndProcessing()
    {
        var connection = GetConnection();
        CreditBalance? balance = null;
        RunOrThrow(async (_, ct) => balance = await connection.Client.GetCreditsAsync(ct).ConfigureAwait(false));
        WriteObject(balance);
    }
}
