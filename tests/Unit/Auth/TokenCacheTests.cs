using System.Runtime.InteropServices;
using NemoVideo.Auth;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Auth;

public class TokenCacheTests : IDisposable
{
    private static readonly Uri Api = new("https://api.example/");
    private readonly TestEnvironment _env = new();
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    public void Dispose() => _env.Dispose();

    [Fact]
    public void Survives_a_new_instance_as_another_process_would_see_it()
    {
        new TokenCache(_env.ConfigDirectory).Store(Api, new NemoToken("nmv_usr_secret", TokenSource.Anonymous, "anon_1", _now.AddDays(7), 100), _now);
        var read = new TokenCache(_env.ConfigDirectory).TryGet(Api);
        Assert.NotNull(read);
        Assert.Equal("nmv_usr_secret", read!.Value);
        Assert.Equal(TokenSource.Cache, read.Source);
        Assert.Equal("anon_1", read.UserId);
        Assert.True(read.IsAnonymous);
    }

    [Fact]
    public void Keeps_a_token_whatever_its_expires_at_says_and_one_entry_per_api()
    {
        var cache = new TokenCache(_env.ConfigDirectory);
        // The reference's own sample says 2026-03-18, already past: only the service's 1001 retires a token.
        cache.Store(Api, new NemoToken("old", TokenSource.Anonymous, "anon_1", DateTimeOffset.Parse("2026-03-18T00:00:00Z")), _now);
        cache.Store(new Uri("http://127.0.0.1:5080/"), new NemoToken("local", TokenSource.Anonymous, "anon_2", _now.AddDays(1)), _now);
        var old = cache.TryGet(Api)!;
        Assert.Equal("old", old.Value);
        Assert.Equal(DateTimeOffset.Parse("2026-03-18T00:00:00Z"), old.ExpiresAt);
        Assert.Equal("local", cache.TryGet(new Uri("http://127.0.0.1:5080"))!.Value);
        Assert.Equal("local", new TokenCache(_env.ConfigDirectory).TryGet(new Uri("HTTP://127.0.0.1:5080/"))!.Value);
    }

    [Fact]
    public void A_token_without_expiry_is_kept()
    {
        var cache = new TokenCache(_env.ConfigDirectory);
        cache.Store(Api, new NemoToken("forever", TokenSource.Anonymous), _now);
        Assert.Equal("forever", cache.TryGet(Api)!.Value);
    }

    [Fact]
    public void A_damaged_cache_file_is_treated_as_empty_and_then_rewritten()
    {
        Directory.CreateDirectory(_env.ConfigDirectory);
        var cache = new TokenCache(_env.ConfigDirectory);
        File.WriteAllText(cache.FilePath, "{ this is not json");
        Assert.Null(cache.TryGet(Api));
        cache.Store(Api, new NemoToken("fresh"), _now);
        Assert.Equal("fresh", cache.TryGet(Api)!.Value);
    }

    [Fact]
    public void Remove_only_if_drops_just_the_rejected_token()
    {
        var cache = new TokenCache(_env.ConfigDirectory);
        cache.Store(Api, new NemoToken("current"), _now);
        Assert.False(cache.Remove(Api, new NemoToken("someone-elses")));
        Assert.NotNull(cache.TryGet(Api));
        Assert.True(cache.Remove(Api, new NemoToken("current")));
        Assert.Null(cache.TryGet(Api));
    }

    [UnixFact("Unix file modes: Windows profile folders are owner-only by their ACLs")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Files_are_readable_by_their_owner_only_on_unix()
    {
        var cache = new TokenCache(_env.ConfigDirectory);
        cache.Store(Api, new NemoToken("secret"), _now);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cache.FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_env.ConfigDirectory));
        var id = ClientIdStore.GetOrCreateAsync(_env.ConfigDirectory).Result;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_env.ConfigDirectory, ClientIdStore.FileName)));
    }

    [Fact]
    public async Task Concurrent_writers_under_the_lock_never_corrupt_the_file()
    {
        var apis = Enumerable.Range(0, 16).Select(i => new Uri($"https://api{i}.example/")).ToArray();
        await Task.WhenAll(apis.Select(api => Task.Run(async () =>
        {
            var cache = new TokenCache(_env.ConfigDirectory); // a separate instance, as another process would have
            using (await cache.LockAsync(CancellationToken.None))
                cache.Store(api, new NemoToken("tok-" + api.Host), _now);
        })));
        var reader = new TokenCache(_env.ConfigDirectory);
        foreach (var api in apis) Assert.Equal("tok-" + api.Host, reader.TryGet(api)!.Value);
        Assert.Empty(Directory.GetFiles(_env.ConfigDirectory, "*.tmp")); // no temporary file left behind
    }

    [Fact]
    public async Task The_lock_excludes_a_second_holder_until_released()
    {
        var cache = new TokenCache(_env.ConfigDirectory);
        var first = await cache.LockAsync(CancellationToken.None);
        var second = cache.LockAsync(CancellationToken.None);
        await Task.Delay(200);
        Assert.False(second.IsCompleted);
        first.Dispose();
        (await second.WaitAsync(TimeSpan.FromSeconds(10))).Dispose();
    }
}
