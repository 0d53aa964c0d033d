using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>What a batch tells its caller, from any thread, as it happens.</summary>
public interface IBatchObserver
{
    void Started(int index);
    void Progress(int index, JobProgress progress);
    void Completed(int index, JobResult result);
    void Failed(int index, Exception error);
    /// <summary>
    /// Said once, at the end, instead of one failure per file: these items were not converted because of
    /// <paramref name="cause"/> (no credits, or export refused) — those that met it and those then not started.
    /// </summary>
    void Stopped(IReadOnlyList<int> notConverted, NemoApiException cause);
}

/// <summary>
/// Runs jobs side by side, at most <c>throttle</c> at once, in input order of starting, reporting each
/// result as it finishes. One failure never stops the others — except running out of credits (2001) or an
/// export refused for the token (HTTP 402): then every later file would pay for an edit it cannot get, so no
/// new file is started and that is said once; the same when the service stopped answering for longer than the
/// outage window (the client waits out shorter outages inside each call, so the jobs meet them only as a pause).
/// </summary>
public sealed class BatchRunner
{
    private readonly Func<MediaJobRequest, IProgress<JobProgress>, CancellationToken, Task<JobResult>> _run;
    private readonly int _throttle;

    public BatchRunner(Func<MediaJobRequest, IProgress<JobProgress>, CancellationToken, Task<JobResult>> run, int throttle)
    {
        if (throttle < 1) throw new ArgumentOutOfRangeException(nameof(throttle), "The throttle limit is at least 1.");
        _run = run;
        _throttle = throttle;
    }

    public async Task RunAsync(IReadOnlyList<MediaJobRequest> items, IBatchObserver observer, CancellationToken ct)
    {
        using var slots = new SemaphoreSlim(_throttle, _throttle);
        var running = new List<Task>();
        NemoApiException? stopCause = null;
        var stopped = new List<int>();
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                await slots.WaitAsync(ct).ConfigureAwait(false);
                if (Volatile.Read(ref stopCause) is not null)
                {
                    slots.Release();
                    lock (stopped) stopped.AddRange(Enumerable.Range(i, items.Count - i));
                    break;
                }
                var index = i;
                observer.Started(index);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        var result = await _run(items[index], new IndexedProgress(observer, index), ct).ConfigureAwait(false);
                        observer.Completed(index, result);
                    }
                    catch (OperationCanceledException) when (ct.IsCancellationRequested)
                    {
                        // Ctrl+C: the caller reports the stop once
                    }
                    catch (Exception ex)
                    {
                        if (StopsTheBatch(ex) is NemoApiException stop)
                        {
                            Interlocked.CompareExchange(ref stopCause, stop, null);
                            lock (stopped) stopped.Add(index); // said once with the others, at the end
                        }
                        else
                        {
                            observer.Failed(index, ex);
                        }
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        finally
        {
            // Even on Ctrl+C, wait for the running jobs to clean up (cancel renders, delete partial files).
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        if (stopCause is not null) observer.Stopped(stopped.OrderBy(i => i).ToList(), stopCause);
        ct.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// The failures that every later file would meet too, at a price — or, for a service that stopped answering and did
    /// not come back within the outage window, at no gain: each would wait and fail the same way.
    /// </summary>
    public static NemoApiException? StopsTheBatch(Exception ex) =>
        ex is NemoApiException { Kind: NemoErrorKind.InsufficientCredits or NemoErrorKind.PlanRequired or NemoErrorKind.Outage } api ? api : null;

    private sealed class IndexedProgress : IProgress<JobProgress>
    {
        private readonly IBatchObserver _observer;
        private readonly int _index;
        public IndexedProgress(IBatchObserver observer, int index) { _observer = observer; _index = index; }
        public void Report(JobProgress value) => _observer.Progress(_index, value);
    }
}
