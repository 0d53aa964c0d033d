using System.Net.Http.Headers;

namespace NemoVideo.Api;

public sealed partial class NemoApiClient
{
    /// <summary>
    /// POST /run_sse and return once the event stream has begun. Failures before that (refused, 5xx, 429,
    /// 1001) are retried like any call, but not a connection that broke or fell silent once made (the message may have
    /// arrived: that is the caller's to follow up through the state); once the stream runs, it is the caller's.
    /// </summary>
    internal Task<HttpResponseMessage> OpenAgentStreamAsync(string sessionId, string message, CancellationToken turnToken, CancellationToken userToken)
    {
        var body = new RunSseRequest { SessionId = sessionId, NewMessage = new NewMessageDto { Parts = { new MessagePartDto { Text = message } } } };
        return WithTokenAsync(async (token, c) =>
        {
            var request = CreateRequest(HttpMethod.Post, "run_sse", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
            request.Content = Json(body, NemoJsonContext.Default.RunSseRequest);
            HttpResponseMessage response;
            try
            {
                response = await SendAsync(request, turnToken, userToken, Options.AgentTimeout).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (ex.Kind == NemoErrorKind.ServerError && ex.StatusCode is null)
            {
                // Reset or silent after the connection was made: the message may have reached the agent, and a second
                // one is charged again. Not sent again; the caller reads the state to learn what it did. (A refused
                // connection or an unknown host never delivered it, and is tried again.)
                ex.DoNotRepeat = true;
                throw;
            }
            if (response.IsSuccessStatusCode && !IsJson(response)) return response;
            using (response)
            {
                // An error comes as an envelope; a 200 with JSON instead of a stream is an envelope too.
                var text = await Guard(() => response.Content.ReadAsStringAsync(), request, userToken, Options.RequestTimeout).ConfigureAwait(false);
                var reply = Envelope.Unwrap(response.StatusCode, response.Content.Headers.ContentType?.MediaType, text, RetryAfterOf(response));
                throw new NemoApiException(NemoErrorKind.Protocol, "The agent answered with JSON instead of an event stream: " + Truncate(reply.Root.ToString()));
            }
        }, userToken);
    }

    private static bool IsJson(HttpResponseMessage r) => r.Content.Headers.ContentType?.MediaType?.EndsWith("json", StringComparison.OrdinalIgnoreCase) ?? false;

    private static string Truncate(string s) => s.Length > 200 ? s.Substring(0, 200) + "…" : s;
}
