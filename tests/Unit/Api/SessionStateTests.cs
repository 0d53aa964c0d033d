using System.Text.Json;
using NemoVideo.Api;

namespace NemoVideo.Tests.Api;

public class SessionStateTests
{
    private static SessionState Parse(string json) => SessionState.Parse(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void Summarizes_the_timeline_as_a_person_reads_it()
    {
        var state = Parse("""
            {"state":{"draft":{"t":[
              {"tt":0,"sg":[{"n":"city timelapse","st":0,"d":10000}]},
              {"tt":1,"sg":[{"n":"Lo-fi","st":0,"d":10000,"v":0.35}]},
              {"tt":7,"sg":[{"text":"Urban Dreams","st":0,"d":3000}]}],
              "d":10000,"m":{"title":"demo","width":1920,"height":1080}},
             "video_infos":[],"canvas_config":{},"video_analyses":[],"generated_media":[]}}
            """);
        Assert.Equal("Timeline (3 tracks): Video: city timelapse (0-10s); Audio: Lo-fi (0-10s, 35%); Title: \"Urban Dreams\" (0-3s)", state.Summary);
        Assert.True(state.CanExport);
        Assert.Equal(TimeSpan.FromSeconds(10), state.Duration);
        Assert.Equal("demo", state.Title);
        Assert.Equal(JsonValueKind.Array, state.VideoInfos.ValueKind);
    }

    [Fact]
    public void An_empty_draft_cannot_be_exported()
    {
        var state = Parse("""{"state":{"draft":{"t":[{"tt":0,"sg":[]}],"d":0}}}""");
        Assert.False(state.CanExport);
        Assert.Equal("Timeline (1 track): Video: (empty)", state.Summary);
        Assert.False(Parse("""{"state":{}}""").CanExport);
        Assert.Equal("Timeline is empty", Parse("""{"state":{"draft":{"t":[]}}}""").Summary);
    }

    [Fact]
    public void Keeps_the_draft_exactly_as_sent_for_the_export()
    {
        var state = Parse("""{"state":{"draft":{"t":[{"tt":1,"sg":[{"n":"a","st":0,"d":1,"custom":{"x":[1,2]}}]}],"extra":"kept"}}}""");
        Assert.Equal("kept", state.Draft.GetProperty("extra").GetString());
        Assert.Equal(2, state.Draft.GetProperty("t")[0].GetProperty("sg")[0].GetProperty("custom").GetProperty("x")[1].GetInt32());
    }
}
