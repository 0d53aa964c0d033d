namespace NemoVideo.Auth;

/// <summary>
/// The client id that anonymous tokens are issued against, kept in <c>client_id</c> in the config
/// folder (<c>~/.config/nemovideo</c>), the same file other NemoVideo tools read.
/// </summary>
public static class ClientIdStore
{
    public const string FileName = "client_id";

    /// <summary>Reads the client id, creating a new UUID there when it is missing or unreadable.</summary>
    public static async Task<string> GetOrCreateAsync(string configDirectory, CancellationToken ct = default)
    {
        var path = Path.Combine(configDirectory, FileName);
        if (TryRead(path) is string existing) return existing;
        using (await PrivateFile.LockAsync(path + ".lock", TimeSpan.FromSeconds(30), ct).ConfigureAwait(false))
        {
            if (TryRead(path) is string raced) return raced;
            var id = Guid.NewGuid().ToString();
            PrivateFile.WriteAtomic(path, id + "\n");
            return id;
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var text = File.ReadAllText(path).Trim();
            return text.Length > 0 && text.Length <= 128 && text.All(c => char.IsLetterOrDigit(c) || c == '-' || c == '_') ? text : null;
        }
        catch (IOException) { return null; }
    }
}
