using System.Text.Json;
using NemoVideo.Api;

namespace NemoVideo.Tests.Api;

public class RenderJobTests
{
    private static RenderJob Parse(string json)
    {
        var root = JsonDocument.Parse(json).RootElement;
        var data = root.TryGetProperty("data", out var d) ? d : root;
        return RenderJob.FromEnvelope(root, data, "fallback");
    }

    [Fact]
    public void Reads_status_and_url_from_data()
    {
        var job = Parse("""{"success":true,"data":{"id":"render_1","status":"completed","progress":100,"outputUrl":"https://cdn.example/x.mp3","createdAt":1773423613616,"completedAt":1773423641222}}""");
        Assert.Equal(RenderStatus.Completed, job.Status);
        Assert.Equal(new Uri("https://cdn.example/x.mp3"), job.OutputUrl);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1773423641222), job.CompletedAt);
        Assert.True(job.IsFinished);
    }

    [Fact]
    public void Reads_top_level_status_and_output_url()
    {
        var job = Parse("""{"success":true,"id":"render_2","status":"processing","progress":40,"output":{"url":null}}""");
        Assert.Equal("render_2", job.Id);
        Assert.Equal(RenderStatus.Processing, job.Status);
        Assert.Equal(40, job.Progress);
        Assert.Null(job.OutputUrl);
        var done = Parse("""{"success":true,"id":"render_2","status":"completed","output":{"url":"https://cdn.example/y.mp4"}}""");
        Assert.Equal(new Uri("https://cdn.example/y.mp4"), done.OutputUrl);
        Assert.Equal(100, done.Progress);
    }

    [Fact]
    public void Falls_back_to_the_submitted_id_and_unknown_status()
    {
        var job = Parse("""{"success":true,"data":{"state":"weird"}}""");
        Assert.Equal("fallback", job.Id);
        Assert.Equal(RenderStatus.Unknown, job.Status);
        Assert.False(job.IsFinished);
    }
}
