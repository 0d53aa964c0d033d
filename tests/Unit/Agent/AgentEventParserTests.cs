using NemoVideo.Agent;
using NemoVideo.Api;

namespace NemoVideo.Tests.Agent;

public class AgentEventParserTests
{
    [Fact]
    public void Reads_the_flat_shape()
    {
        var p = new AgentEventParser();
        Assert.Equal(AgentEventKind.Text, p.Parse("""{"type":"text","content":"Hello"}""").Single().Kind);
        var call = p.Parse("""{"type":"tool_call","name":"set_audio","args":{"kbps":320}}""").Single();
        Assert.Equal(("set_audio", 320), (call.Name, call.Payload.GetProperty("kbps").GetInt32()));
        var result = p.Parse("""{"type":"tool_result","name":"set_audio","result":{"ok":true}}""").Single();
        Assert.Equal(AgentEventKind.ToolResult, result.Kind);
        Assert.True(result.Payload.GetProperty("ok").GetBoolean());
        Assert.Equal(AgentEventKind.Heartbeat, p.Parse("""{"type":"heartbeat"}""").Single().Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void An_empty_event_means_still_working(string? data) =>
        Assert.Equal(AgentEventKind.Heartbeat, new AgentEventParser().Parse(data).Single().Kind);

    [Fact]
    public void Reads_ADK_events_with_text_function_calls_and_responses()
    {
        var p = new AgentEventParser();
        var events = p.Parse("""
            {"id":"1","invocationId":"e-1","author":"nemo_agent","content":{"role":"model","parts":[
              {"functionCall":{"id":"c1","name":"set_video_export","args":{"height":720}}},
              {"functionResponse":{"id":"c1","name":"set_video_export","response":{"status":"ok"}}}]}}
            """).ToList();
        Assert.Equal(new[] { AgentEventKind.ToolCall, AgentEventKind.ToolResult }, events.Select(e => e.Kind));
        Assert.Equal(720, events[0].Payload.GetProperty("height").GetInt32());
        Assert.Equal("ok", events[1].Payload.GetProperty("status").GetString());
    }

    [Fact]
    public void Drops_the_whole_ADK_event_that_repeats_its_partial_pieces()
    {
        var p = new AgentEventParser();
        var texts = new[]
        {
            """{"partial":true,"content":{"parts":[{"text":"Done! "}]}}""",
            """{"partial":true,"content":{"parts":[{"text":"Click Export."}]}}""",
            """{"content":{"parts":[{"text":"Done! Click Export."}]}}""",
        }.SelectMany(p.Parse).Where(e => e.Kind == AgentEventKind.Text).Select(e => e.Text);
        Assert.Equal("Done! Click Export.", string.Concat(texts));
    }

    [Fact]
    public void Keeps_a_whole_ADK_event_that_is_new_text_and_skips_thoughts()
    {
        var p = new AgentEventParser();
        var events = p.Parse("""{"content":{"parts":[{"text":"thinking...","thought":true},{"text":"Answer"}]}}""").ToList();
        Assert.Equal("Answer", events.Single().Text);
    }

    [Theory]
    [InlineData("""{"error":"model overloaded"}""", "model overloaded")]
    [InlineData("""{"errorCode":"X","errorMessage":"quota"}""", "quota")]
    [InlineData("""{"type":"error","content":"bad"}""", "bad")]
    public void Reads_errors_in_both_shapes(string data, string message)
    {
        var ev = new AgentEventParser().Parse(data).Single();
        Assert.Equal(AgentEventKind.Error, ev.Kind);
        Assert.Equal(message, ev.Text);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"type":"mystery"}""")]
    [InlineData("""{"something":"else"}""")]
    public void Malformed_or_unknown_events_are_skipped_not_fatal(string data) =>
        Assert.Equal(AgentEventKind.Unrecognized, new AgentEventParser().Parse(data).Single().Kind);
}
