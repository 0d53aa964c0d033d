using System.Text;
using System.Text.Json.Nodes;

namespace NemoVideo.Emulator;

/// <summary>POST /run_sse: the agent's event stream, in either documented shape.</summary>
internal sealed partial class ApiEndpoints
{
    private async Task RunSse(HttpContext ctx)
    {
        if (Authenticate(ctx) is not Account account) { await Replies.TokenInvalid().ExecuteAsync(ctx); return; }
        var body = await ReadJson(ctx);
        var sessionId = body?["session_id"]?.ToString() ?? "";
        var message = body?["new_message"]?["parts"]?[0]?["text"]?.ToString();
        if (string.IsNullOrWhiteSpace(message) || body?["app_name"]?.ToString() != "nemo_agent")
        {
            await Replies.Fail(400, 400, "Expected {app_name:'nemo_agent', user_id, session_id, new_message:{parts:[{text}]}}").ExecuteAsync(ctx);
            return;
        }
        if (FindSession(sessionId, account) is not Session session || _store.LoseSession(sessionId, _options.LoseSessionsOnAgent))
        {
            // ADK's server knows sessions, not NemoVideo's codes: FastAPI's 404 in the documented mode.
            await (_options.Documented ? Replies.Detail(404, "Session not found: " + sessionId) : Replies.SessionNotFound()).ExecuteAsync(ctx);
            return;
        }
        _store.CountAgentMessage();

        var plan = RuleAgent.Interpret(message!, session);
        if (plan.IsEdit && !account.TryFreeze(_options.EditCost)) { await Replies.NoCredits().ExecuteAsync(ctx); return; }

        bool silent;
        lock (_random) silent = _random.NextDouble() < _options.SilentReplyRate;
        ctx.Response.ContentType = "text/event-stream";
        ctx.Response.Headers.CacheControl = "no-cache";
        var completed = false;
        try
        {
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
            if (ctx.Items.TryGetValue(FaultMiddleware.SseInjection, out var injection) && injection is FaultRule inject)
            {
                foreach (var data in inject.SseInject!) await Write(ctx, "data: " + data + "\n\n");
                if (inject.SseEndAfterInject) return;
            }
            // The API's own examples, placeholders and all: not JSON, and a client must pass over them.
            if (_options.Documented) await Write(ctx, "data: {\"type\":\"tool_call\",\"name\":\"…\",\"args\":{…}}\n\n");
            var adk = _options.SseShape == SseShape.Adk;
            var invocation = "e-" + Guid.NewGuid().ToString("N")[..8];
            var thinking = DateTime.UtcNow + _options.AgentThinkTime;
            while (DateTime.UtcNow < thinking)
            {
                // The simple shape sends heartbeat events; ADK sends nothing, here a keep-alive comment and an empty data line.
                await Write(ctx, adk ? ": keep-alive\n\ndata:\n\n" : "data: {\"type\":\"heartbeat\"}\n\n");
                await Task.Delay(_options.HeartbeatInterval, ctx.RequestAborted);
            }
            if (plan.IsEdit)
            {
                var callId = "call_" + Guid.NewGuid().ToString("N")[..8];
                await Event(ctx, adk
                    ? AdkEvent(invocation, new JsonObject { ["functionCall"] = new JsonObject { ["id"] = callId, ["name"] = plan.ToolName, ["args"] = plan.ToolArgs!.DeepClone() } })
                    : new JsonObject { ["type"] = "tool_call", ["name"] = plan.ToolName, ["args"] = plan.ToolArgs!.DeepClone() });
                plan.Apply!(session);
                completed = true;
                var result = new JsonObject { ["status"] = "ok", ["draft_updated"] = true };
                await Event(ctx, adk
                    ? AdkEvent(invocation, new JsonObject { ["functionResponse"] = new JsonObject { ["id"] = callId, ["name"] = plan.ToolName, ["response"] = result } })
                    : new JsonObject { ["type"] = "tool_result", ["name"] = plan.ToolName, ["result"] = result });
            }
            if (!silent || !plan.IsEdit)
            {
                var words = plan.Reply.Split(' ');
                var chunks = Enumerable.Range(0, (words.Length + 5) / 6).Select(i => string.Join(' ', words.Skip(i * 6).Take(6)) + (i * 6 + 6 < words.Length ? " " : "")).ToList();
                foreach (var chunk in chunks)
                {
                    var ev = adk
                        ? AdkEvent(invocation, new JsonObject { ["text"] = chunk }, partial: true)
                        : new JsonObject { ["type"] = "text", ["content"] = chunk };
                    await Event(ctx, ev);
                }
                if (adk) await Event(ctx, AdkEvent(invocation, new JsonObject { ["text"] = plan.Reply }));
            }
            if (_options.TrailingAgentError && plan.IsEdit)
                await Write(ctx, "data: {\"error\":\"I encountered a temporary issue. Please try again.\"}\n\n");
        }
        finally
        {
            if (plan.IsEdit) account.Settle(_options.EditCost, consumed: completed);
        }
    }

    private static JsonObject AdkEvent(string invocation, JsonObject part, bool partial = false)
    {
        var ev = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString("N")[..12], ["invocationId"] = invocation, ["author"] = "nemo_agent",
            ["content"] = new JsonObject { ["role"] = "model", ["parts"] = new JsonArray(part) },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        };
        if (partial) ev["partial"] = true;
        return ev;
    }

    private static Task Event(HttpContext ctx, JsonObject ev) => Write(ctx, "data: " + ev.ToJsonString() + "\n\n");

    private static async Task Write(HttpContext ctx, string text)
    {
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
    }
}
