using System.Management.Automation;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Gets a session's latest state: the timeline (as a readable summary) and its media.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoState")]
[OutputType(typeof(NemoVideo.Api.SessionState))]
public sealed class GetNemoStateCommand : SessionCmdlet
{
    protected override void ProcessRecord()
    {
        RunOrThrow(async (pipeline, ct) =>
        {
            var (connection, sessionId) = await ResolveSessionAsync(ct).ConfigureAwait(false);
            var state = await connection.Client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
            pipeline.WriteObject(state);
        }, SessionId);
    }
}
