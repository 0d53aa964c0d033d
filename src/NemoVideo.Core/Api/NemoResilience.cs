using NemoVideo.Api;
using Polly;
using Polly.Retry;

namespace NemoVideo.Api;

/// <summary>
/// Every retry policy of the client, in one place. Network failures are turned into transient
/// <see cref="NemoApiException"/>s where they happen, so one rule covers calls, streams and transfers:
/// retry what is transient, with exponential backoff and jitter, bounded, honouring Retry-After.
/// Token renewal (1001) and new sessions (1002) are not retries of the same request; they live in the
/// client and the jobs.
/// </summary>
public static class NemoResilience
{
    public static ResiliencePipeline Create(RetrySettings settings, Action<NemoApiException, int, TimeSpan>? onRetry = null)
    {
        if (settings.MaxRetries <= 0) return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = settings.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = settings.BaseDelay,
                MaxDelay = settings.MaxDelay,
                // A server that asks for a longer wait than MaxDelay (an hourly quota) gets an error, not a sleeping script.
                ShouldHandle = new PredicateBuilder().Handle<NemoApiException>(ex => ex.IsTransient && !(ex.RetryAfter > settings.MaxDelay)),
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
