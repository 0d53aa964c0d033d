using System.Text.Json.Serialization;

namespace NemoVideo.Auth;

// The token cache on disk, in the same snake_case as the API's own shapes (files written by earlier versions still read).

internal sealed class TokenCacheFile
{
    public int Version { get; set; } = 1;
    public Dictionary<string, TokenCacheEntry> Entries { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class TokenCacheEntry
{
    public string Token { get; set; } = "";
    public string? UserId { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset ObtainedAt { get; set; }
    public decimal? Credits { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TokenCacheFile))]
internal sealed partial class TokenCacheJson : JsonSerializerContext
{
}
