namespace NemoVideo.Transfers;

/// <summary>
/// Cancels a transfer that stops moving: every period it compares the byte count with the last look, and cancels
/// <see cref="Token"/> when nothing moved (and the transfer is not finished). One timer for the whole transfer,
/// rather than a timer reset on every read or write.
/// </summary>
internal sealed class IdleWatchdog : IDisposable
{
    private readonly CancellationTokenSource _cts;
    private readonly Timer _timer;
    private readonly Func<long> _bytes;
    private readonly long? _total;
    private long _seen = -1;

    public IdleWatchdog(Func<long> bytes, long? total, TimeSpan period, CancellationToken outer)
    {
        _bytes = bytes;
        _total = total;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _timer = new Timer(_ => Check(), null, period, period);
    }

    /// <summary>Cancelled by the outer token, or by a stall.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>True when this watchdog (not the outer token) cancelled.</summary>
    public bool Stalled { get; private set; }

    private void Check()
    {
        var now = _bytes();
        if (_total is long t && now >= t) return; // all sent: waiting for the answer is not a stall
        if (now == Interlocked.Exchange(ref _seen, now))
        {
            Stalled = true;
            try { _cts.Cancel(); } catch (ObjectDisposedException) { }
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _cts.Dispose();
    }
}
