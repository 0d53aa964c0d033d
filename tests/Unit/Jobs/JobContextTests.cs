using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

/// <summary>What a job carries between its stages: a kind's own state, and the work deferred to its end.</summary>
public class JobContextTests
{
    private sealed class CopyState { public int Calls; }
    private sealed class OtherState { public string? Note; }

    private static JobContext NewContext() => new(new Mp3Request("in.mkv", "out.mp3", 128), NemoEngine.Local, null, () => null);

    [Fact]
    public void A_kinds_state_is_made_once_per_type_and_kept_for_the_job()
    {
        using var job = NewContext();
        job.KindState<CopyState>().Calls++;
        job.KindState<CopyState>().Calls++;
        job.KindState<OtherState>().Note = "other";
        Assert.Equal(2, job.KindState<CopyState>().Calls);
        Assert.Equal("other", job.KindState<OtherState>().Note);
        Assert.Same(job.KindState<CopyState>(), job.KindState<CopyState>());
        using var another = NewContext();
        Assert.Equal(0, another.KindState<CopyState>().Calls); // one job's state is not another's
    }

    [Fact]
    public async Task Deferred_work_runs_last_first_and_only_once()
    {
        using var job = NewContext();
        var ran = new List<string>();
        job.Defer(() => { ran.Add("first"); return Task.CompletedTask; });
        job.Defer(async () => { await Task.Yield(); ran.Add("second"); });
        await job.RunDeferredAsync();
        Assert.Equal(new[] { "second", "first" }, ran);
        await job.RunDeferredAsync();
        Assert.Equal(2, ran.Count);
    }

    [Fact]
    public void Progress_is_reported_with_the_stage_and_nothing_breaks_without_a_listener()
    {
        var seen = new List<JobProgress>();
        using var job = new JobContext(new Mp3Request("in.mkv", "out.mp3", 128), NemoEngine.Cloud, new NemoVideo.Tests.Api.SyncProgress<JobProgress>(seen.Add), () => null);
        job.Report(JobStage.Rendering, 40, "rendering");
        var p = Assert.Single(seen);
        Assert.Equal((JobStage.Rendering, (int?)40, "rendering"), (p.Stage, p.Percent, p.Status));
        using var quiet = NewContext();
        quiet.Report(JobStage.Rendering, 40, "nobody listens");
    }
}
