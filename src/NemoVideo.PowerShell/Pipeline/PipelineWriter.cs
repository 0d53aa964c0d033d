using System.Management.Automation;

namespace NemoVideo.PowerShell;

/// <summary>
/// The only way work running off the pipeline thread reports back: each call is queued and carried out, in the order
/// made, on the pipeline thread by the <see cref="PipelinePump"/> that handed this writer to the work. Safe to call from
/// any thread. Once the pump has stopped (Ctrl+C, a failed write, or the work has ended) calls are dropped silently.
/// </summary>
internal sealed class PipelineWriter
{
    private readonly Func<Action<IPipelineTarget>, bool> _send;
    private readonly CancellationToken _stopped;

    /// <param name="send">Queues a write for the pipeline thread; false when it was dropped because the pump has stopped.</param>
    /// <param name="stopped">Fires when the pump stops, so a question still waiting for an answer is given up.</param>
    internal PipelineWriter(Func<Action<IPipelineTarget>, bool> send, CancellationToken stopped)
    {
        _send = send;
        _stopped = stopped;
    }

    /// <summary>Writes an object to the output.</summary>
    public void WriteObject(object sendToPipeline) => _send(target => target.WriteObject(sendToPipeline));

    /// <summary>
    /// Writes an object made on the pipeline thread, for objects that read the runspace (a provider's item, its session
    /// state): <paramref name="make"/> runs there, just before the write, and must do nothing but make the object.
    /// </summary>
    public void WriteObjectMadeOnPipelineThread(Func<object> make) => _send(target => target.WriteObject(make()));

    /// <summary>Writes a non-terminating error.</summary>
    public void WriteError(ErrorRecord errorRecord) => _send(target => target.WriteError(errorRecord));

    /// <summary>Writes a warning.</summary>
    public void WriteWarning(string text) => _send(target => target.WriteWarning(text));

    /// <summary>Writes a verbose line.</summary>
    public void WriteVerbose(string text) => _send(target => target.WriteVerbose(text));

    /// <summary>Writes a progress record.</summary>
    public void WriteProgress(ProgressRecord progressRecord) => _send(target => target.WriteProgress(progressRecord));

    /// <summary>Writes to the information stream; the record is made on the pipeline thread, so it names that thread as its source.</summary>
    public void WriteInformation(object? messageData, string source) => _send(target => target.WriteInformation(new InformationRecord(messageData, source)));

    /// <summary>
    /// Asks ShouldProcess on the pipeline thread (where -WhatIf and -Confirm are answered) and completes with its answer;
    /// an exception thrown there is the task's. Cancelled when the pump stops before the question is answered.
    /// </summary>
    public Task<bool> ShouldProcessAsync(string target, string action)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Without this a question queued behind a failed write would wait for an answer that never comes.
        var giveUp = _stopped.Register(() => answer.TrySetCanceled(_stopped));
        answer.Task.ContinueWith(_ => giveUp.Dispose(), TaskScheduler.Default);
        var queued = _send(pipeline =>
        {
            try { answer.TrySetResult(pipeline.ShouldProcess(target, action)); }
            catch (Exception ex) { answer.TrySetException(ex); }
        });
        if (!queued) answer.TrySetCanceled(_stopped);
        return answer.Task;
    }
}
