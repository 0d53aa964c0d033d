using System.Text.Json;
using System.Text.Json.Serialization;

namespace NemoVideo.Api;

// Wire shapes, snake_case as the API writes them. Public models are built from these.

internal sealed class AnonymousTokenDto
{
    public string? Token { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))] public string? UserId { get; set; }
    public string? ExpiresAt { get; set; }
    public decimal? Credits { get; set; }
}

internal sealed class CreateSessionRequest
{
    public string TaskName { get; set; } = "project";
    public string Language { get; set; } = "en";
}

internal sealed class SessionDto
{
    [JsonConverter(typeof(FlexibleStringConverter))] public string? TaskId { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))] public string? SessionId { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))] public string? UserId { get; set; }
}

internal sealed class ClaimTokenRequest
{
    [JsonConverter(typeof(FlexibleStringConverter))] public string? TaskId { get; set; }
    [JsonConverter(typeof(FlexibleStringConverter))] public string? SessionId { get; set; }
}

internal sealed class ClaimTokenDto
{
    public string? ClaimToken { get; set; }
    public double? ExpiresIn { get; set; }
}

internal sealed class UploadFileDto
{
    public string? Filename { get; set; }
    public string? FileType { get; set; }
    public string? CdnUrl { get; set; }
    public double? Duration { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public double? Fps { get; set; }
    public string? Hash { get; set; }
}

internal sealed class UploadDataDto
{
    public List<UploadFileDto>? Files { get; set; }
    public bool? SessionStateApplied { get; set; }
}

internal sealed class UrlUploadRequest
{
    public List<string> Urls { get; set; } = new();
    public string SourceType { get; set; } = "url";
}

internal sealed class RunSseRequest
{
    public string AppName { get; set; } = "nemo_agent";
    public string UserId { get; set; } = "me";
    public string SessionId { get; set; } = "";
    public NewMessageDto NewMessage { get; set; } = new();
}

internal sealed class NewMessageDto
{
    public List<MessagePartDto> Parts { get; set; } = new();
}

internal sealed class MessagePartDto
{
    public string Text { get; set; } = "";
}

internal sealed class CreditsDto
{
    public decimal? Available { get; set; }
    public decimal? Frozen { get; set; }
    public decimal? Total { get; set; }
    public decimal? TotalGranted { get; set; }
    public decimal? TotalConsumed { get; set; }
}

internal sealed class RenderRequestDto
{
    public string Id { get; set; } = "";
    // The one camelCase field of the API.
    [JsonPropertyName("sessionId")] public string SessionId { get; set; } = "";
    public JsonElement Draft { get; set; }
    public RenderOutputDto Output { get; set; } = new();
}

internal sealed class RenderOutputDto
{
    public string Format { get; set; } = "mp4";
    public string Quality { get; set; } = "high";
    // Remotion's names are camelCase, like sessionId.
    [JsonPropertyName("codec")] public string? Codec { get; set; }
    [JsonPropertyName("audioBitrate")] public string? AudioBitrate { get; set; }
    [JsonPropertyName("videoBitrate")] public string? VideoBitrate { get; set; }
    [JsonPropertyName("crf")] public int? Crf { get; set; }
}


/// <summary>Reads a JSON string or number as a string: ids are long numbers that must not lose digits.</summary>
internal sealed class FlexibleStringConverter : JsonConverter<string?>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
        JsonTokenType.Null => null,
        _ => throw new JsonException($"Expected a string or number, got {reader.TokenType}."),
    };

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue(); else writer.WriteStringValue(value);
    }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AnonymousTokenDto))]
[JsonSerializable(typeof(CreateSessionRequest))]
[JsonSerializable(typeof(SessionDto))]
[JsonSerializable(typeof(ClaimTokenRequest))]
[JsonSerializable(typeof(ClaimTokenDto))]
[JsonSerializable(typeof(UploadDataDto))]
[JsonSerializable(typeof(UrlUploadRequest))]
[JsonSerializable(typeof(RunSseRequest))]
[JsonSerializable(typeof(CreditsDto))]
[JsonSerializable(typeof(RenderRequestDto))]
internal sealed partial class NemoJsonContext : JsonSerializerContext
{
}
