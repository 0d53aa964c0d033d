using System.Management.Automation;
using NemoVideo.Agent;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Sends a request to the NemoVideo agent and returns its reply.</para>
/// <para type="description">The agent's words are shown as they arrive (the Information stream); heartbeats show as "still working". When the agent finishes without words, the session's timeline is read and reported.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "NemoMessage", SupportsShouldProcess = true)]
[OutputType(typeof(AgentReply))]
public sealed class SendNemoMessageCommand : SessionCmdlet
{
    /// <summary>What to ask the agent, in plain words.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Message { get; set; }

    protected override void ProcessRecord()
    {
        RunOrThrow(async (pipeline, ct) =>
        {
            var (connection, sessionId) = await ResolveSessionAsync(ct).ConfigureAwait(false);
            // An edit costs credits (about 50): -WhatIf and -Confirm are asked before the message is sent.
            if (!await pipeline.ShouldProcessAsync($"session {sessionId}", $"Send to the agent (an edit costs credits): {Message}").ConfigureAwait(false)) return;
            var progress = new Jobs.RelayProgress<AgentActivity>(a =>
            {
                if (a.Event?.Kind == AgentEventKind.Text)
                    pipeline.WriteInformation(a.Event.Text, "NemoAgent");
                var status = a.IsStillWorking ? $"Still working ({a.Elapsed.TotalSeconds:0} s)" : a.Event!.ToString();
                pipeline.WriteProgress(new ProgressRecord(2, "NemoVideo agent", status.Length == 0 ? "…" : status));
            });
            var reply = await new AgentConversation(connection.Client).SendAsync(sessionId, Message!, progress, ct).ConfigureAwait(false);
            pipeline.WriteProgress(new ProgressRecord(2, "NemoVideo agent", "Done") { RecordType = ProgressRecordType.Completed });
            if (reply.Interrupted) pipeline.WriteWarning("The agent's stream was cut off; the state shown is what the session holds now.");
            pipeline.WriteObject(reply);
        }, Message);
    }
}
