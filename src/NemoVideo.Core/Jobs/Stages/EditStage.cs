using NemoVideo.Agent;
using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// The agent asked, once (a second message would be charged twice; a dropped stream is followed up by reading the
/// state), and the timeline checked until the edit shows; the paid edit is written down as soon as it has landed.
/// </summary>
internal sealed class EditStage : CloudJob.SessionStage
{
    private readonly CloudJob _engine;

    public EditStage(CloudJob engine) => _engine = engine;

    public override string Name => "edit";

    public override async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.OutputInHand) return; // picked up from an earlier run, or made in parts
        var instruction = job.Request.InstructionFor(job);
        job.Report(JobStage.AgentWorking, null, "Asking the agent: " + instruction);
        var reply = await new AgentConversation(job.Api, _engine.Recovery).SendAsync(job.SessionId, instruction,
            job.Progress is null ? null : new RelayProgress<AgentActivity>(a => job.Report(JobStage.AgentWorking, null,
                a.IsStillWorking ? $"Agent still working ({a.Elapsed.TotalSeconds:0} s)" : "Agent: " + a.Event)), ct).ConfigureAwait(false);
        job.Report(JobStage.CheckingState, null, "Checking the timeline");
        job.State = await ExportableStateAsync(job, reply, ct).ConfigureAwait(false)
            ?? throw new NemoApiException(NemoErrorKind.AgentError, "The agent did not put anything on the timeline to export"
                + (reply.TrailingError is string error ? $" (it ended with the error \"{Shorten(error)}\")" : reply.Silent ? "" : $" (it said: \"{Shorten(reply.Text)}\")"));
        job.AgentSummary = reply.Summary;
        if (job.Entry != null) { job.Entry.RecordEdit(job.SessionId, job.Uploads); _engine.Journal!.Save(job.Entry); } // paid for: written down
    }

    /// <summary>The state once the agent's edit shows on the timeline (edits can land a moment after the stream ends), or null.</summary>
    private async Task<SessionState?> ExportableStateAsync(JobContext job, AgentReply reply, CancellationToken ct)
    {
        var state = reply.State ?? await job.Api.GetStateAsync(job.SessionId, ct).ConfigureAwait(false);
        foreach (var delay in _engine.StateRetryDelays)
        {
            if (state.CanExport) return state;
            await Task.Delay(delay, ct).ConfigureAwait(false);
            state = await job.Api.GetStateAsync(job.SessionId, ct).ConfigureAwait(false);
        }
        return state.CanExport ? state : null;
    }

    private static string Shorten(string s) => s.Length > 160 ? s.Substring(0, 160) + "…" : s;
}
