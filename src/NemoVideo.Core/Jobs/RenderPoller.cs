using NemoVideo.Api;

namespace NemoVideo.Jobs;

/// <summary>
/// When to ask again about a render. Short first waits that grow; once the progress the server reports
/// moves, the rate between the last two answers predicts the finish: half the time left while that is
/// long, then just past the predicted finish — so the finished file is noticed within a fraction of a
/// second, without asking much more often than a fixed 10-second poller. A Retry-After from the server wins.
/// </summary>
public sealed class PollSchedule
{
    public TimeSpan First { get; set; } = TimeSpan.FromSeconds(1);
    public double Growth { get; set; } = 1.5;
    public TimeSpan Min { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan Max { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>How far past the predicted finish the last poll aims.</summary>
    public TimeSpan Margin { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The wait before poll number <paramref name="poll"/> (0-based), given the last answer seen at
    /// <paramref name="elapsed"/> and, if there was one, the answer before it.
    /// </summary>
    public TimeSpan Next(int poll, RenderJob last, TimeSpan elapsed, RenderJob? previous = null, TimeSpan previousElapsed = default)
    {
        if (last.RetryAfter is TimeSpan hint) return Clamp(hint, TimeSpan.FromMilliseconds(100), TimeSpan.FromTicks(Max.Ticks * 2));
        var geometric = Clamp(TimeSpan.FromTicks((long)(First.Ticks * Math.Pow(Growth, Math.Min(poll, 30)))), Min, Max);
        if (previous is null || last.Progress <= previous.Progress || last.Progress >= 100 || elapsed <= previousElapsed) return geometric;
        var rate = (last.Progress - previous.Progress) / (elapsed - previousElapsed).TotalSeconds; // percent a second
        var left = TimeSpan.FromSeconds((100 - last.Progress) / rate);
        var wait = left > TimeSpan.FromSeconds(2) ? TimeSpan.FromTicks(left.Ticks / 2) : left + Margin;
        return Clamp(wait, Min, Max);
    }

    private static TimeSpan Clamp(TimeSpan v, TimeSpan lo, TimeSpan hi) => v < lo ? lo : v > hi ? hi : v;
}

/// <summary>Waits for a render to finish, cancelling it on the server when the wait is abandoned.</summary>
public sealed class RenderPoller
{
    private readonly NemoApiClient _client;
    private readonly PollSchedule _schedule;

    public RenderPoller(NemoApiClient client, PollSchedule? schedule = null)
    {
        _client = client;
        _schedule = schedule ?? new PollSchedule();
    }

    /// <summary>How many status requests this poller has made.</summary>
    public int Polls { get; private set; }

    /// <summary>
    /// Polls until the render is completed (returned), failed (thrown), or <paramref name="timeout"/> passes
    /// or <paramref name="ct"/> fires — in both of those the render is cancelled on the server first.
    /// </summary>
    public async Task<RenderJob> WaitAsync(RenderJob submitted, TimeSpan timeout, IProgress<RenderJob>? progress = null, CancellationToken ct = default)
    {
        var started = DateTime.UtcNow;
        var last = submitted;
        RenderJob? previous = null;
        var lastAt = TimeSpan.Zero;
        var previousAt = TimeSpan.Zero;
        progress?.Report(last);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            for (var poll = 0; ; poll++)
            {
                if (last.Status == RenderStatus.Completed) return last;
                if (last.Status is RenderStatus.Failed or RenderStatus.Cancelled)
                    throw new NemoApiException(NemoErrorKind.RenderFailed, $"Render {last.Id} {last.Status.ToString().ToLowerInvariant()}" + (last.Error is null ? "" : ": " + last.Error));
                await Task.Delay(_schedule.Next(poll, last, lastAt, previous, previousAt), limit.Token).ConfigureAwait(false);
                Polls++;
                var answer = await _client.GetRenderAsync(last.Id, limit.Token).ConfigureAwait(false);
                (previous, previousAt) = (last, lastAt);
                (last, lastAt) = (answer, DateTime.UtcNow - started);
                progress?.Report(last);
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            await CancelQuietlyAsync(last.Id).ConfigureAwait(false);
            if (ct.IsCancellationRequested) throw;
            throw new NemoApiException(NemoErrorKind.Timeout, $"Render {last.Id} did not finish within {timeout.TotalMinutes:0.#} minutes (last seen {last.Status.ToString().ToLowerInvariant()} at {last.Progress:0}%); it was cancelled");
        }
    }

    /// <summary>Best effort, and quick: the user is waiting for Ctrl+C to return.</summary>
    internal async Task CancelQuietlyAsync(string renderId)
    {
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _client.CancelRenderAsync(renderId, quick.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NemoApiException or OperationCanceledException)
        {
            // the render ends by itself on the server; nothing more can be done here
        }
    }
}
