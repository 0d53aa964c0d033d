using System.Collections.Concurrent;

namespace NemoVideo.PowerShell;

/// <summary>
/// Runs work on the thread pool and, on the calling thread (the pipeline thread), carries out what the work writes
/// through its <see cref="PipelineWriter"/> against an <see cref="IPipelineTarget"/>, in order, until the work ends.
/// PowerShell lets only the pipeline thread write; this is the one crossing from the pool back to it.
/// </summary>
internal sealed class PipelinePump
{
    private readonly IPipelineTarget _target;
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="target">What the writes are made on; called on the thread that calls <see cref="Run"/> only.</param>
    public PipelinePump(IPipelineTarget target) => _target = target;

    /// <summary>Fires on <see cref="Stop"/> or when a write fails on the pipeline thread; the work's token.</summary>
    public CancellationToken StopToken => _stopping.Token;

    /// <summary>Cancels the work (Ctrl+C); from then on its writes are dropped.</summary>
    public void Stop() => _stopping.Cancel();

    /// <summary>
    /// Runs <paramref name="work"/> off this thread and carries out its writes here until it ends; then rethrows its
    /// failure as thrown (not wrapped). A write that throws here (PipelineStoppedException) stops the work and is rethrown.
    /// </summary>
    public void Run(Func<PipelineWriter, CancellationToken, Task> work)
    {
        var queue = new BlockingCollection<Action<IPipelineTarget>>();
        var gate = new object(); // adding and closing never race, so a late write is dropped rather than thrown
        var closed = false;
        var token = _stopping.Token;
        bool Send(Action<IPipelineTarget> write)
        {
            lock (gate)
            {
                if (closed || token.IsCancellationRequested) return false;
                queue.Add(write);
                return true;
            }
        }
        void Close()
        {
            lock (gate)
            {
                if (closed) return;
                closed = true;
                queue.CompleteAdding();
            }
        }

        var writer = new PipelineWriter(Send, token);
        var task = Task.Run(() => work(writer, token));
        task.ContinueWith(_ => Close(), TaskScheduler.Default);
        try
        {
            foreach (var write in queue.GetConsumingEnumerable()) write(_target);
        }
        catch
        {
            _stopping.Cancel(); // e.g. PipelineStoppedException from a write: stop the work too
            try { task.Wait(TimeSpan.FromSeconds(30)); } catch (AggregateException) { }
            throw;
        }
        finally
        {
            Close();
            queue.Dispose(); // safe: once closed, nothing touches the queue
        }
        task.GetAwaiter().GetResult();
    }
}
