using System.Net;
using System.Text.Json;
using NemoVideo.Api;

namespace NemoVideo.Tests.Api;

public class EnvelopeTests
{
    [Fact]
    public void Unwraps_the_code_envelope_to_its_data()
    {
        var reply = Envelope.Unwrap(HttpStatusCode.OK, "application/json", """{"code":0,"message":"ok","data":{"session_id":"5529798706024415232"}}""", null);
        Assert.Equal("5529798706024415232", reply.Data.GetProperty("session_id").GetString());
    }

    [Fact]
    public void Unwraps_the_success_envelope_to_its_data()
    {
        var reply = Envelope.Unwrap(HttpStatusCode.OK, "application/json", """{"success":true,"data":{"id":"render_1","status":"pending"}}""", null);
        Assert.Equal("render_1", reply.Data.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(200, 1001, NemoErrorKind.TokenInvalid)]
    [InlineData(401, 1001, NemoErrorKind.TokenInvalid)]
    [InlineData(200, 1010, NemoErrorKind.TokenInvalid)]
    [InlineData(200, 1011, NemoErrorKind.TokenInvalid)]
    [InlineData(404, 1002, NemoErrorKind.SessionNotFound)]
    [InlineData(200, 2001, NemoErrorKind.InsufficientCredits)]
    [InlineData(400, 4001, NemoErrorKind.UnsupportedFile)]
    [InlineData(413, 4002, NemoErrorKind.FileTooLarge)]
    [InlineData(402, 402, NemoErrorKind.PlanRequired)]
    [InlineData(429, 429, NemoErrorKind.RateLimited)]
    [InlineData(503, 503, NemoErrorKind.ServerError)]
    [InlineData(401, 401, NemoErrorKind.TokenInvalid)]
    public void Turns_every_documented_code_into_one_exception_with_code_status_and_advice(int status, int code, NemoErrorKind kind)
    {
        var ex = Assert.Throws<NemoApiException>(() =>
            Envelope.Unwrap((HttpStatusCode)status, "application/json", $$"""{"code":{{code}},"message":"server says no","data":null}""", null));
        Assert.Equal(kind, ex.Kind);
        Assert.Equal(code, ex.Code);
        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.StartsWith("server says no", ex.Message);
        Assert.False(string.IsNullOrWhiteSpace(ex.Advice));
        Assert.Contains(ex.Advice, ex.Message);
    }

    [Fact]
    public void The_agent_servers_404_detail_is_a_lost_session_and_an_unknown_route_is_not()
    {
        var lost = Assert.Throws<NemoApiException>(() => Envelope.Unwrap(HttpStatusCode.NotFound, "application/json", """{"detail":"Session not found: 5529798706024415232"}""", null));
        Assert.Equal(NemoErrorKind.SessionNotFound, lost.Kind);
        Assert.Contains("Session not found: 5529798706024415232", lost.Message);
        var route = Assert.Throws<NemoApiException>(() => Envelope.Unwrap(HttpStatusCode.NotFound, "application/json", """{"detail":"Not Found"}""", null));
        Assert.Equal(NemoErrorKind.Unknown, route.Kind);
        Assert.Contains("Not Found", route.Message);
    }

    [Fact]
    public void A_400_about_the_client_id_is_classified_as_such()
    {
        var ex = Assert.Throws<NemoApiException>(() =>
            Envelope.Unwrap(HttpStatusCode.BadRequest, "application/json", """{"code":400,"message":"X-Client-Id header is required"}""", null));
        Assert.Equal(NemoErrorKind.MissingClientId, ex.Kind);
    }

    [Fact]
    public void A_failed_render_envelope_carries_its_error_text()
    {
        var ex = Assert.Throws<NemoApiException>(() =>
            Envelope.Unwrap(HttpStatusCode.Conflict, "application/json", """{"success":false,"error":"Duplicate render id render_1"}""", null));
        Assert.Equal(NemoErrorKind.DuplicateRender, ex.Kind);
        Assert.Contains("Duplicate render id", ex.Message);
    }

    [Fact]
    public void An_HTML_error_page_from_a_proxy_is_a_transient_server_error()
    {
        var ex = Assert.Throws<NemoApiException>(() =>
            Envelope.Unwrap(HttpStatusCode.BadGateway, "text/html", "<html><h1>502 Bad Gateway</h1></html>", TimeSpan.FromSeconds(3)));
        Assert.Equal(NemoErrorKind.ServerError, ex.Kind);
        Assert.True(ex.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
        Assert.Contains("HTML", ex.Message);
    }

    [Fact]
    public void An_HTML_page_with_status_200_is_a_protocol_error_that_names_the_address_settings()
    {
        var ex = Assert.Throws<NemoApiException>(() => Envelope.Unwrap(HttpStatusCode.OK, "text/html", "<html>captive portal</html>", null));
        Assert.Equal(NemoErrorKind.Protocol, ex.Kind);
        Assert.False(ex.IsTransient);
        Assert.Contains("NEMO_API_URL", ex.Message);
    }

    [Fact]
    public void A_body_without_an_envelope_is_taken_whole()
    {
        var reply = Envelope.Unwrap(HttpStatusCode.OK, "application/json", """{"available":5}""", null);
        Assert.Equal(5, reply.Data.GetProperty("available").GetInt32());
    }
}
