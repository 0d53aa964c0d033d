using NemoVideo.Transfers;

namespace NemoVideo.Tests.Transfers;

/// <summary>A transfer that stops moving is cancelled; one that moves, is finished or is cancelled from outside is not a stall.</summary>
public class IdleWatchdogTests
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(50);

    private static async Task<bool> CancelledWithin(CancellationToken token, TimeSpan wait)
    {
        try { await Task.Delay(wait, token); return false; }
        catch (OperationCanceledException) { return true; }
    }

    [Fact]
    public async Task Bytes_that_stop_moving_cancel_the_token_as_a_stall()
    {
        using var watchdog = new IdleWatchdog(() => 100, total: 1000, Period, CancellationToken.None);
        Assert.True(await CancelledWithin(watchdog.Token, TimeSpan.FromSeconds(10)));
        Assert.True(watchdog.Stalled);
    }

    [Fact]
    public async Task Bytes_that_keep_moving_are_never_a_stall()
    {
        long bytes = 0; // more at every look
        using var watchdog = new IdleWatchdog(() => Interlocked.Add(ref bytes, 10), total: null, Period, CancellationToken.None);
        Assert.False(await CancelledWithin(watchdog.Token, TimeSpan.FromMilliseconds(500)));
        Assert.False(watchdog.Stalled);
    }

    [Fact]
    public async Task Waiting_for_the_answer_after_every_byte_is_sent_is_not_a_stall()
    {
        using var watchdog = new IdleWatchdog(() => 1000, total: 1000, Period, CancellationToken.None);
        Assert.False(await CancelledWithin(watchdog.Token, TimeSpan.FromMilliseconds(500)));
        Assert.False(watchdog.Stalled);
    }

    [Fact]
    public async Task The_outer_token_cancels_it_and_that_is_not_a_stall()
    {
        using var outer = new CancellationTokenSource();
        long bytes = 0;
        using var watchdog = new IdleWatchdog(() => Interlocked.Increment(ref bytes), total: null, TimeSpan.FromSeconds(30), outer.Token);
        outer.Cancel();
        Assert.True(await CancelledWithin(watchdog.Token, TimeSpan.FromSeconds(10)));
        Assert.False(watchdog.Stalled);
    }
}
