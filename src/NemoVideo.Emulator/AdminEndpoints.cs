using System.Net;
using System.Text.Json.Nodes;

namespace NemoVideo.Emulator;

/// <summary>
/// /_emulator/…: arm faults, expire tokens, set credits, read counters. Answers loopback callers only.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(WebApplication app, EmulatorServer server)
    {
        var admin = app.MapGroup("/_emulator").AddEndpointFilter(async (ctx, next) =>
        {
            var ip = ctx.HttpContext.Connection.RemoteIpAddress;
            if (ip == null || !IPAddress.IsLoopback(ip)) return Results.StatusCode(403);
            return await next(ctx);
        });
        admin.MapPost("/faults", (List<FaultRule> rules) => { server.Faults.Add(rules.ToArray()); return Results.Ok(new { armed = rules.Count }); });
        admin.MapDelete("/faults", () => { server.Faults.Clear(); return Results.Ok(); });
        admin.MapGet("/faults", () => Results.Json(server.Faults.Snapshot()));
        admin.MapPost("/tokens/expire", () => { server.Store.ExpireAllTokens(); return Results.Ok(); });
        admin.MapPost("/credits/{available}", (decimal available) => { server.Store.SetCredits(available); return Results.Ok(); });
        admin.MapPost("/sessions/{id}/drop", (string id) => server.Store.DropSession(id) ? Results.Ok() : Results.NotFound());
        admin.MapGet("/stats", () => Results.Json(new JsonObject
        {
            ["anonymous_tokens_issued"] = server.Store.AnonymousTokensIssued,
            ["sessions"] = server.Store.SessionCount,
            ["renders"] = server.Store.RenderCount,
            ["render_cancels"] = server.Store.RenderCancels,
            ["agent_messages"] = server.Store.AgentMessages,
            ["cdn_requests_with_authorization"] = server.Store.CdnRequestsWithAuthorization,
            ["faults_fired"] = server.Faults.Fired,
            ["requests"] = server.Store.RequestLog.Count,
            ["upload_mbps"] = server.Uplink.Mbps,
            ["uplink_bytes"] = server.Uplink.BytesPaced,
            ["uplink_waited_seconds"] = Math.Round(server.Uplink.TimeWaited.TotalSeconds, 3),
        }));
    }
}
