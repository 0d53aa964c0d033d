using NemoVideo.Api;
using NemoVideo.Auth;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Auth;

/// <summary>
/// expires_at is a hint (the reference's own sample is already past): a token is retired only by the service's
/// 1001, a new anonymous token is fetched at most once a run, and a 429 on that call says when and what to do.
/// </summary>
public class TokenHintTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static int AnonymousCalls(EmulatorServer emu) => emu.Store.RequestLog.Count(r => r.Path == "/api/auth/anonymous-token");

    [Fact]
    public async Task A_just_issued_token_is_used_for_a_whole_batch_whatever_its_date_says()
    {
        await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 10_000);
        // A month from now every expires_at the emulator states (7 days) is long past.
        using var client = _env.Client(emu.BaseUri, environment: _env.At(DateTimeOffset.UtcNow.AddDays(30)));
        var clip = await Media.ClipAsync(seconds: 2);
        var job = FastJobs.Cloud(client);
        for (var i = 0; i < 3; i++) await job.RunAsync(new Mp3Request(clip, _env.PathIn($"f{i}.mp3"), 128));
        await client.GetCreditsAsync();

        Assert.Equal(1, AnonymousCalls(emu));
        Assert.Equal(1, client.Tokens.AnonymousFetches);
        Assert.True(client.Tokens.Current!.ExpiresAt < DateTimeOffset.UtcNow.AddDays(30), "the stated date is in the (simulated) past");
    }

    [Fact]
    public async Task A_cached_token_past_its_date_is_used_and_not_fetched_again()
    {
        await using var emu = await Emulators.StartAsync();
        using (var first = _env.Client(emu)) await first.GetCreditsAsync();
        using var later = _env.Client(emu.BaseUri, environment: _env.At(DateTimeOffset.UtcNow.AddDays(30)));
        await later.GetCreditsAsync();
        Assert.Equal(TokenSource.Cache, later.Tokens.Current!.Source);
        Assert.Equal(1, AnonymousCalls(emu));
    }

    [Fact]
    public async Task A_cached_token_the_service_rejects_is_replaced_once()
    {
        await using var emu = await Emulators.StartAsync();
        using (var first = _env.Client(emu)) await first.GetCreditsAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits/", Status = 200, Code = 1001 });
        using var later = _env.Client(emu);
        await later.GetCreditsAsync();
        Assert.Equal(TokenSource.Anonymous, later.Tokens.Current!.Source);
        Assert.Equal(2, AnonymousCalls(emu));
        Assert.Equal(1, emu.Faults.Fired);
    }

    [Fact]
    public async Task A_token_is_replaced_at_most_once_a_run()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits/", Status = 200, Code = 1001, Times = 5 });
        var first = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync()); // token, 1001, one replacement, 1001
        Assert.Equal(NemoErrorKind.TokenInvalid, first.Kind);
        var again = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync());
        Assert.Contains("no other anonymous token is fetched in this run", again.Message);
        Assert.Contains("NEMO_TOKEN", again.Advice);
        Assert.Equal(2, AnonymousCalls(emu));
    }

    [Fact]
    public async Task A_429_on_the_anonymous_token_says_when_to_try_again_and_that_NEMO_TOKEN_avoids_it()
    {
        await using var emu = await Emulators.StartAsync();
        emu.Faults.Add(new FaultRule { Route = "POST /api/auth/anonymous-token", Status = 429, RetryAfter = 5 * 3600, Times = 10 });
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync());
        Assert.Equal(NemoErrorKind.TokenRateLimited, ex.Kind);
        Assert.Contains("try again after", ex.Message);
        Assert.Contains("5 hours", ex.Message);
        Assert.Contains("NEMO_TOKEN", ex.Advice);
        Assert.Equal(1, AnonymousCalls(emu)); // not retried: the limit is per client a week
    }

    [Fact]
    public async Task NEMO_CLIENT_ID_is_the_client_id_sent_for_the_anonymous_token()
    {
        await using var emu = await Emulators.StartAsync();
        _env.Set("NEMO_CLIENT_ID", "11111111-2222-3333-4444-555555555555");
        var wire = new CapturingHandler();
        using var client = _env.Client(emu, handler: wire);
        await client.GetCreditsAsync();
        Assert.Equal("11111111-2222-3333-4444-555555555555", wire.To("/api/auth/anonymous-token").Single().Header("X-Client-Id"));
        Assert.False(File.Exists(Path.Combine(_env.ConfigDirectory, ClientIdStore.FileName)), "no client_id file is made when the variable gives one");
    }
}

/// <summary>Problems of this machine said before anything is uploaded or paid for.</summary>
public class PreflightTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_config_folder_that_is_a_file_names_NEMO_CONFIG_DIR_and_NEMO_TOKEN_before_any_upload()
    {
        await using var emu = await Emulators.StartAsync();
        File.WriteAllText(Path.Combine(_env.Root, "not-a-folder"), "x");
        var env = new NemoEnvironment(Path.Combine(_env.Root, "not-a-folder", "nemovideo"), _ => null);
        using var client = _env.Client(emu.BaseUri, environment: env);
        var clip = await Media.ClipAsync(seconds: 2);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => FastJobs.Cloud(client).RunAsync(new Mp3Request(clip, _env.PathIn("a.mp3"), 128)));
        Assert.Equal(NemoErrorKind.ConfigNotWritable, ex.Kind);
        Assert.Contains("NEMO_CONFIG_DIR", ex.Advice);
        Assert.Contains("NEMO_TOKEN", ex.Advice);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"said at once, not after the lock's wait: {watch.Elapsed}");
        Assert.DoesNotContain(emu.Store.RequestLog, r => r.Path.StartsWith("/api/upload-video/"));
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory));
    }

    [Fact]
    public async Task An_address_where_nothing_listens_is_said_at_once_not_retried()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var retries = 0;
        using var client = _env.Client(new Uri($"http://127.0.0.1:{port}/"), configure: o => o.Trace = r => { if (r.RetryDelay != null) Interlocked.Increment(ref retries); });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.FetchAnonymousTokenAsync("id"));
        Assert.Equal(NemoErrorKind.Unreachable, ex.Kind);
        Assert.Contains($"127.0.0.1:{port}", ex.Message);
        Assert.Contains("connection refused", ex.Message);
        Assert.Contains("NEMO_API_URL", ex.Advice);
        // Not retried, counted rather than timed (the test client's retries are fast, and a loaded machine is slow to start a first call).
        Assert.Equal(0, retries);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task An_output_folder_that_cannot_be_written_fails_before_anything_is_sent()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var clip = await Media.ClipAsync(seconds: 2);
        var ex = await Assert.ThrowsAsync<UnauthorizedAccessException>(() => FastJobs.Cloud(client).RunAsync(new Mp3Request(clip, "/proc/out.mp3", 128)));
        Assert.Contains("/proc", ex.Message);
        Assert.Empty(emu.Store.RequestLog);
    }
}
