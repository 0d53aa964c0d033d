using System.Text.Json;

namespace NemoVideo.Auth;

/// <summary>
/// The on-disk token cache, one entry per API base, shared by every process of the user:
/// readable by the owner only, written atomically, changed only under a cross-process lock.
/// </summary>
public sealed class TokenCache
{
    public const string FileName = "powershell-tokens.json";

    public TokenCache(string configDirectory)
    {
        ConfigDirectory = configDirectory;
        FilePath = Path.Combine(configDirectory, FileName);
    }

    public string ConfigDirectory { get; }
    public string FilePath { get; }

    /// <summary>
    /// The cached token for this API base, if any, whatever its <c>expires_at</c> says: that date is only a hint
    /// (the service's own sample is already past), and the service's 1001 is what says a token is dead.
    /// </summary>
    public NemoToken? TryGet(Uri baseUri)
    {
        var file = Load();
        if (!file.Entries.TryGetValue(Key(baseUri), out var e) || string.IsNullOrEmpty(e.Token)) return null;
        return new NemoToken(e.Token, TokenSource.Cache, e.UserId, e.ExpiresAt, e.Credits);
    }

    /// <summary>Holds the cross-process lock while a token is checked and maybe fetched.</summary>
    public Task<IDisposable> LockAsync(CancellationToken ct) =>
        PrivateFile.LockAsync(FilePath + ".lock", TimeSpan.FromMinutes(2), ct);

    /// <summary>Stores a token; call under <see cref="LockAsync"/>.</summary>
    public void Store(Uri baseUri, NemoToken token, DateTimeOffset now)
    {
        var file = Load();
        file.Entries[Key(baseUri)] = new TokenCacheEntry
        {
            Token = token.Value, UserId = token.UserId, ExpiresAt = token.ExpiresAt, ObtainedAt = now, Credits = token.Credits,
        };
        Save(file);
    }

    /// <summary>Forgets the token for this API base, or only if it is the one given.</summary>
    public bool Remove(Uri baseUri, NemoToken? onlyIf = null)
    {
        var file = Load();
        var key = Key(baseUri);
        if (!file.Entries.TryGetValue(key, out var e)) return false;
        if (onlyIf != null && !string.Equals(e.Token, onlyIf.Value, StringComparison.Ordinal)) return false;
        file.Entries.Remove(key);
        Save(file);
        return true;
    }

    internal static string Key(Uri baseUri) => baseUri.GetLeftPart(UriPartial.Path).TrimEnd('/').ToLowerInvariant();

    private TokenCacheFile Load()
    {
        try
        {
            if (!File.Exists(FilePath)) return new TokenCacheFile();
            var json = File.ReadAllText(FilePath);
            var file = JsonSerializer.Deserialize(json, TokenCacheJson.Default.TokenCacheFile) ?? new TokenCacheFile();
            // Keys are compared case-insensitively whatever the deserializer made of the dictionary.
            file.Entries = new Dictionary<string, TokenCacheEntry>(file.Entries ?? new(), StringComparer.OrdinalIgnoreCase);
            return file;
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            // A damaged cache is only a cache: start again rather than fail the user's job.
            return new TokenCacheFile();
        }
    }

    private void Save(TokenCacheFile file) =>
        PrivateFile.WriteAtomic(FilePath, JsonSerializer.Serialize(file, TokenCacheJson.Default.TokenCacheFile));
}
