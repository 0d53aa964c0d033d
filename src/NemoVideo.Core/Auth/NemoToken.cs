namespace NemoVideo.Auth;

/// <summary>Where a token came from, in the order they are tried.</summary>
public enum TokenSource
{
    /// <summary>Given to the cmdlet or client directly.</summary>
    Parameter,
    /// <summary>The NEMO_TOKEN environment variable.</summary>
    Environment,
    /// <summary>The on-disk cache shared by every process of the user.</summary>
    Cache,
    /// <summary>A free anonymous token fetched just now.</summary>
    Anonymous,
}

/// <summary>
/// A bearer token. The secret is internal: it is never part of <see cref="ToString"/>, a public
/// property, a log line or an exception message, so it cannot leak through PowerShell's output.
/// </summary>
public sealed class NemoToken
{
    public NemoToken(string value, TokenSource source = TokenSource.Parameter, string? userId = null,
        DateTimeOffset? expiresAt = null, decimal? credits = null)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("A token cannot be empty.", nameof(value));
        Value = value.Trim();
        Source = source;
        UserId = userId;
        ExpiresAt = expiresAt;
        Credits = credits;
    }

    internal string Value { get; }
    public TokenSource Source { get; }
    public string? UserId { get; }
    /// <summary>The expiry the service stated: a hint only, never a reason to fetch another token.</summary>
    public DateTimeOffset? ExpiresAt { get; }
    /// <summary>The credits granted with an anonymous token, when known.</summary>
    public decimal? Credits { get; }
    /// <summary>True for free tokens (anonymous user ids start with anon_).</summary>
    public bool IsAnonymous => Source == TokenSource.Anonymous || (UserId?.StartsWith("anon_", StringComparison.Ordinal) ?? false);
    /// <summary>A short, non-secret identifier to tell two tokens apart in logs.</summary>
    public string Fingerprint => TokenFingerprint.Of(Value);

    internal bool SameSecret(NemoToken? other) => other != null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override string ToString() => $"NemoToken {Source} {Fingerprint}";
}

internal static class TokenFingerprint
{
    public static string Of(string secret)
    {
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(secret));
        return "sha256:" + BitConverter.ToString(hash, 0, 4).Replace("-", "").ToLowerInvariant();
    }
}
