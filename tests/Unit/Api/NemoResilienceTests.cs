using NemoVideo.Api;
using Polly;

namespace NemoVideo.Tests.Api;

/// <summary>The client's one retry rule by itself, over plain delegates (no HTTP): what is retried, how often, how long
/// it waits, and what it tells onRetry.</summary>
public class NemoResilienceTests
{
    private static RetrySettings Settings(int retries = 3) => new()
    {
        MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(2), MaxDelay = TimeSpan.FromMilliseconds(40), RateLimitDelay = TimeSpan.FromMilliseconds(15),
    };

    private static NemoApiException Error(NemoErrorKind kind, TimeSpan? retryAfter = null) => new(kind, kind + " from the test", retryAfter: retryAfter);

    private sealed class Recorder
    {
        public int Attempts;
        public readonly List<(NemoApiException Error, int Attempt, TimeSpan Delay)> Retries = new();
        public void OnRetry(NemoApiException ex, int attempt, TimeSpan delay) => Retries.Add((ex, attempt, delay));
    }

    /// <summary>Runs a call that fails with <paramref name="failures"/> in turn, then returns 42.</summary>
    private static async Task<int> RunAsync(RetrySettings settings, Recorder recorder, params Exception[] failures)
    {
        var pipeline = NemoResilience.Create(settings, recorder.OnRetry);
        return await pipeline.ExecuteAsync(_ =>
        {
            var attempt = recorder.Attempts++;
            if (attempt < failures.Length) throw failures[attempt];
            return new ValueTask<int>(42);
        }, CancellationToken.None);
    }

    [Theory]
    [InlineData(NemoErrorKind.ServerError)]
    [InlineData(NemoErrorKind.RateLimited)]
    public async Task A_transient_error_is_retried_until_the_call_succeeds(NemoErrorKind kind)
    {
        var recorder = new Recorder();
        var first = Error(kind);
        var second = Error(kind);

        Assert.Equal(42, await RunAsync(Settings(), recorder, first, second));

        Assert.Equal(3, recorder.Attempts);
        Assert.Equal(new[] { 1, 2 }, recorder.Retries.Select(r => r.Attempt));
        Assert.Same(first, recorder.Retries[0].Error);
        Assert.Same(second, recorder.Retries[1].Error);
    }

    [Theory]
    [InlineData(NemoErrorKind.TokenInvalid)]
    [InlineData(NemoErrorKind.SessionNotFound)]
    [InlineData(NemoErrorKind.InsufficientCredits)]
    [InlineData(NemoErrorKind.UnsupportedFile)]
    [InlineData(NemoErrorKind.Protocol)]
    public async Task An_error_that_is_not_transient_is_thrown_at_once(NemoErrorKind kind)
    {
        var recorder = new Recorder();
        var error = Error(kind);

        Assert.Same(error, await Assert.ThrowsAsync<NemoApiException>(() => RunAsync(Settings(), recorder, error)));

        Assert.Equal(1, recorder.Attempts);
        Assert.Empty(recorder.Retries);
    }

    [Fact]
    public async Task Other_exceptions_are_not_the_pipelines_to_retry()
    {
        var recorder = new Recorder();
        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(Settings(), recorder, new InvalidOperationException("a bug")));
        Assert.Equal(1, recorder.Attempts);
    }

    [Fact]
    public async Task It_gives_up_after_MaxRetries_with_the_last_error()
    {
        var recorder = new Recorder();
        var errors = Enumerable.Range(0, 10).Select(_ => Error(NemoErrorKind.ServerError)).ToArray();

        var thrown = await Assert.ThrowsAsync<NemoApiException>(() => RunAsync(Settings(retries: 3), recorder, errors));

        Assert.Equal(4, recorder.Attempts); // the call and three retries
        Assert.Same(errors[3], thrown);
        Assert.Equal(new[] { 1, 2, 3 }, recorder.Retries.Select(r => r.Attempt));
    }

    [Fact]
    public async Task The_wait_is_exponential_backoff_bounded_by_MaxDelay_when_the_server_gives_no_hint()
    {
        var recorder = new Recorder();
        var settings = Settings(retries: 6);
        await RunAsync(settings, recorder, Enumerable.Range(0, 6).Select(_ => Error(NemoErrorKind.ServerError)).ToArray());

        Assert.Equal(6, recorder.Retries.Count);
        Assert.All(recorder.Retries, r => Assert.InRange(r.Delay, TimeSpan.FromTicks(1), settings.MaxDelay));
        Assert.NotEqual(settings.RateLimitDelay, recorder.Retries[0].Delay);
    }

    [Fact]
    public async Task RetryAfter_is_the_wait_when_the_server_states_one()
    {
        var recorder = new Recorder();
        await RunAsync(Settings(), recorder, Error(NemoErrorKind.ServerError, TimeSpan.FromMilliseconds(25)), Error(NemoErrorKind.RateLimited, TimeSpan.FromMilliseconds(7)));

        Assert.Equal(new[] { TimeSpan.FromMilliseconds(25), TimeSpan.FromMilliseconds(7) }, recorder.Retries.Select(r => r.Delay));
    }

    [Fact]
    public async Task A_rate_limit_without_RetryAfter_waits_RateLimitDelay_capped_at_MaxDelay()
    {
        var recorder = new Recorder();
        await RunAsync(Settings(), recorder, Error(NemoErrorKind.RateLimited));
        Assert.Equal(TimeSpan.FromMilliseconds(15), Assert.Single(recorder.Retries).Delay);

        var capped = new Recorder();
        var settings = Settings();
        settings.RateLimitDelay = TimeSpan.FromMilliseconds(200); // longer than MaxDelay (40 ms)
        await RunAsync(settings, capped, Error(NemoErrorKind.RateLimited));
        Assert.Equal(settings.MaxDelay, Assert.Single(capped.Retries).Delay);
    }

    [Fact]
    public async Task A_server_asking_for_longer_than_MaxDelay_gets_the_error_back_not_a_sleeping_script()
    {
        var recorder = new Recorder();
        var quota = Error(NemoErrorKind.RateLimited, TimeSpan.FromMilliseconds(100)); // more than MaxDelay (40 ms), as an hourly quota is

        Assert.Same(quota, await Assert.ThrowsAsync<NemoApiException>(() => RunAsync(Settings(), recorder, quota)));

        Assert.Equal(1, recorder.Attempts);
        Assert.Empty(recorder.Retries);

        var atTheLimit = new Recorder(); // exactly MaxDelay is still waited for
        Assert.Equal(42, await RunAsync(Settings(), atTheLimit, Error(NemoErrorKind.RateLimited, Settings().MaxDelay)));
        Assert.Equal(Settings().MaxDelay, Assert.Single(atTheLimit.Retries).Delay);
    }

    [Fact]
    public async Task No_retries_asked_is_the_empty_pipeline()
    {
        Assert.Same(ResiliencePipeline.Empty, NemoResilience.Create(Settings(retries: 0)));
        var recorder = new Recorder();
        await Assert.ThrowsAsync<NemoApiException>(() => RunAsync(Settings(retries: 0), recorder, Error(NemoErrorKind.ServerError)));
        Assert.Equal(1, recorder.Attempts);
    }

    [Fact]
    public async Task Without_onRetry_it_still_retries()
    {
        var attempts = 0;
        var pipeline = NemoResilience.Create(Settings());
        var result = await pipeline.ExecuteAsync(_ => ++attempts < 3 ? throw Error(NemoErrorKind.ServerError) : new ValueTask<int>(attempts), CancellationToken.None);
        Assert.Equal(3, result);
    }

    [Fact]
    public async Task Cancelling_during_a_wait_stops_the_retries()
    {
        using var cts = new CancellationTokenSource();
        var settings = Settings();
        settings.MaxDelay = TimeSpan.FromMinutes(10);
        var attempts = 0;
        var pipeline = NemoResilience.Create(settings, (_, _, _) => cts.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pipeline.ExecuteAsync<int>(_ =>
        {
            attempts++;
            throw Error(NemoErrorKind.ServerError, TimeSpan.FromSeconds(30));
        }, cts.Token).AsTask());

        Assert.Equal(1, attempts);
    }
}
