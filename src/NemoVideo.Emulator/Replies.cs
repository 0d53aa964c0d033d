using System.Text.Json.Nodes;

namespace NemoVideo.Emulator;

/// <summary>The API's two envelopes.</summary>
internal static class Replies
{
    public static IResult Ok(JsonNode? data) =>
        Results.Json(new JsonObject { ["code"] = 0, ["message"] = "success", ["data"] = data });

    public static IResult Fail(int httpStatus, int code, string message) =>
        Results.Json(new JsonObject { ["code"] = code, ["message"] = message, ["data"] = null }, statusCode: httpStatus);

    public static IResult RenderFail(int httpStatus, string error) =>
        Results.Json(new JsonObject { ["success"] = false, ["error"] = error }, statusCode: httpStatus);

    /// <summary>FastAPI's error shape, which the agent's ADK server answers with: no code, no envelope.</summary>
    public static IResult Detail(int httpStatus, string detail) => Results.Json(new JsonObject { ["detail"] = detail }, statusCode: httpStatus);

    public static IResult TokenInvalid() => Fail(401, 1001, "Invalid or expired token");
    public static IResult SessionNotFound() => Fail(404, 1002, "Session not found");
    // The service reports a business failure with HTTP 200 and a code; the client must read the code.
    public static IResult NoCredits() => Fail(200, 2001, "Insufficient credits");
}
