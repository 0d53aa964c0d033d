using NemoVideo.Api;
using NemoVideo.Auth;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Auth;

public class TokenProviderTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Without_anything_gets_one_anonymous_token_and_caches_it_for_the_next_process()
    {
        await using var emu = await Emulators.StartAsync();
        using (var client = _env.Client(emu))
        {
            var credits = await client.GetCreditsAsync();
            Assert.Equal(100, credits.Available);
            Assert.Equal(TokenSource.Anonymous, client.Tokens.Current!.Source);
            Assert.StartsWith("anon_", client.Tokens.Current.UserId);
        }
        using (var again = _env.Client(emu))
        {
            await again.GetCreditsAsync();
            Assert.Equal(TokenSource.Cache, again.Tokens.Current!.Source);
        }
        Assert.Equal(1, emu.Store.AnonymousTokensIssued);
        var clientId = File.ReadAllText(Path.Combine(_env.ConfigDirectory, "client_id")).Trim();
        Assert.True(Guid.TryParse(clientId, out _));
    }

    [Fact]
    public async Task NEMO_TOKEN_wins_over_the_cache_and_a_parameter_wins_over_both()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Store.AddAccount("env-token", "user_env", 700);
        emu.Store.AddAccount("param-token", "user_param", 900);
        new TokenCache(_env.ConfigDirectory).Store(emu.BaseUri, new NemoToken("cached-but-unknown"), DateTimeOffset.UtcNow);
        _env.Set("NEMO_TOKEN", "env-token");
        using (var client = _env.Client(emu))
        {
            Assert.Equal(700, (await client.GetCreditsAsync()).Available);
            Assert.Equal(TokenSource.Environment, client.Tokens.Current!.Source);
        }
        using (var client = _env.Client(emu, new NemoToken("param-token")))
            Assert.Equal(900, (await client.GetCreditsAsync()).Available);
        Assert.Equal(0, emu.Store.AnonymousTokensIssued);
    }

    [Fact]
    public async Task A_rejected_cached_token_is_replaced_once_and_the_call_goes_through()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        await client.GetCreditsAsync();
        var first = client.Tokens.Current!;
        emu.Store.ExpireAllTokens();
        var credits = await client.GetCreditsAsync();
        Assert.Equal(100, credits.Available);
        Assert.False(first.SameSecret(client.Tokens.Current));
        Assert.Equal(2, emu.Store.AnonymousTokensIssued);
        // The new token is what the cache now holds.
        Assert.True(client.Tokens.Current!.SameSecret(new TokenCache(_env.ConfigDirectory).TryGet(emu.BaseUri)));
    }

    [Fact]
    public async Task A_rejected_NEMO_TOKEN_is_an_error_that_says_what_to_do_and_holds_no_secret()
    {
        await using var emu = await Emulators.StartAsync();
        _env.Set("NEMO_TOKEN", "nmv_usr_WRONGSECRET");
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync());
        Assert.Equal(NemoErrorKind.TokenInvalid, ex.Kind);
        Assert.Contains("NEMO_TOKEN", ex.Message);
        Assert.DoesNotContain("WRONGSECRET", ex.ToString());
        Assert.Equal(0, emu.Store.AnonymousTokensIssued);
    }

    [Fact]
    public async Task Many_concurrent_calls_fetch_one_token()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetCreditsAsync()));
        Assert.Equal(1, emu.Store.AnonymousTokensIssued);
        Assert.Equal(1, client.Tokens.AnonymousFetches);
    }

    [Fact]
    public async Task Two_clients_with_one_cache_share_one_anonymous_token()
    {
        await using var emu = await Emulators.StartAsync();
        var other = new NemoEnvironment(_env.ConfigDirectory, _ => null);
        using var a = _env.Client(emu);
        using var b = new NemoApiClient(new NemoClientOptions { BaseUri = emu.BaseUri, Retry = TestEnvironment.FastRetry() }, new TokenProvider(emu.BaseUri, other), other);
        await Task.WhenAll(a.GetCreditsAsync(), b.GetCreditsAsync());
        Assert.True(a.Tokens.Current!.SameSecret(b.Tokens.Current));
        Assert.Equal(1, emu.Store.AnonymousTokensIssued);
    }

    [Fact]
    public async Task The_anonymous_token_call_without_a_client_id_gets_the_documented_400()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.FetchAnonymousTokenAsync(""));
        Assert.Equal(NemoErrorKind.MissingClientId, ex.Kind);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, ex.StatusCode);
    }

    [Fact]
    public async Task The_anonymous_rate_limit_per_address_is_a_429()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousTokensPerAddressPerHour = 2);
        using var client = _env.Client(emu); // retries on, but an hour's Retry-After is not slept through
        await client.FetchAnonymousTokenAsync(Guid.NewGuid().ToString());
        await client.FetchAnonymousTokenAsync(Guid.NewGuid().ToString());
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.FetchAnonymousTokenAsync(Guid.NewGuid().ToString()));
        Assert.Equal(NemoErrorKind.TokenRateLimited, ex.Kind);
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains("(in 1 hour)", ex.Message);
        Assert.Contains("NEMO_TOKEN", ex.Advice);
        Assert.Equal(3, emu.Store.RequestLog.Count(r => r.Path == "/api/auth/anonymous-token")); // asked once, not again
    }
}
