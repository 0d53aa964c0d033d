using NemoVideo.Api;
using Polly;
using Polly.Retry;

namespace NemoVideo.Api;

/// <summary>
/// Every retry policy of the client, in one place. Network failures are turned into transient
/// <see cref="NemoApiException"/>s where they happen, so one rule covers calls, streams and transfers:
/// retry what is transient, with exponential backoff and jitter, bounded, honouring Retry-After.
/// Around it, for a client that knows its addresses (<see cref="OutageWatch"/>): an address that has answered and then
/// gives no answer at all (refused, reset, silent) is waited out with backoff for the outage window, whatever the count.
/// Token renewal (1001) and new sessions (1002) are not retries of the same request; they live in the
/// client and the jobs.
/// </summary>
public static class NemoResilience
{
    public static ResiliencePipeline Create(RetrySettings settings, Action<NemoApiException, int, TimeSpan>? onRetry = null) =>
        Create(settings, null, onRetry, null);

    /// <summary>The longest single wait through an outage, so that a service back is noticed soon.</summary>
    internal static readonly TimeSpan OutageMaxDelay = TimeSpan.FromSeconds(15);

    internal static ResiliencePipeline Create(RetrySettings settings, OutageWatch? outage, Action<NemoApiException, int, TimeSpan>? onRetry,
        Action<NemoApiException, int, TimeSpan, DateTimeOffset>? onOutageWait)
    {
        var waitsOutages = outage is { Window.Ticks: > 0 };
        if (settings.MaxRetries <= 0 && !waitsOutages) return ResiliencePipeline.Empty;
        var builder = new ResiliencePipelineBuilder();
        if (waitsOutages)
        {
            var cap = settings.MaxDelay < OutageMaxDelay ? settings.MaxDelay : OutageMaxDelay;
            var first = settings.BaseDelay > TimeSpan.Zero ? settings.BaseDelay : TimeSpan.FromMilliseconds(100);
            var random = new Random();
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = int.MaxValue, // bounded by the window, not by a count
                ShouldHandle = new PredicateBuilder().Handle<NemoApiException>(outage!.WaitOut),
                DelayGenerator = args =>
                {
                    var ex = (NemoApiException)args.Outcome.Exception!;
                    var grown = first.Ticks * Math.Pow(2, Math.Min(args.AttemptNumber, 30));
                    double jitter;
                    lock (random) jitter = 0.8 + 0.4 * random.NextDouble();
                    var wait = TimeSpan.FromTicks((long)Math.Min(cap.Ticks, grown * jitter));
                    // The last try is made when the window closes, not a backoff later.
                    var left = outage.OutageSince(ex) is DateTimeOffset since ? outage.GivesUpAt(since) - outage.Now() : TimeSpan.Zero;
                    if (left < wait) wait = left > TimeSpan.Zero ? left : TimeSpan.Zero;
                    return new ValueTask<TimeSpan?>(wait);
                },
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is NemoApiException ex && outage!.OutageSince(ex) is DateTimeOffset since)
                        onOutageWait?.Invoke(ex, args.AttemptNumber + 1, args.RetryDelay, outage.GivesUpAt(since));
                    return default;
                },
            });
        }
        if (settings.MaxRetries <= 0) return builder.Build();
        return builder
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                // A server that asks for a longer wait than MaxDelay (an hourly quota) gets an error, not a sleeping script.
                ShouldHandle = new PredicateBuilder().Handle<NemoApiException>(ex => ex.IsTransient && !ex.DoNotRepeat && !(ex.RetryAfter > settings.MaxDelay)),
                DelayGenerator = args =>
                {
                    if (args.Outcome.Exception is NemoApiException ex)
                    {
                        var hint = ex.RetryAfter ?? (ex.Kind == NemoErrorKind.RateLimited ? settings.RateLimitDelay : (TimeSpan?)null);
                        if (hint is TimeSpan h)
                            return new ValueTask<TimeSpan?>(h > settings.MaxDelay ? settings.MaxDelay : h);
                    }
                    return new ValueTask<TimeSpan?>((TimeSpan?)null); // the exponential backoff with jitter
                },
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is NemoApiException ex) onRetry?.Invoke(ex, args.AttemptNumber + 1, args.RetryDelay);
                    return default;
                },
            })
            .Build();
    }
}
