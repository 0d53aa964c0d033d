using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;
using Xunit;

namespace NemoVideo.Tests.Jobs;

/// <summary>A batch's outputs decided before any work, and the files a credit estimate counts.</summary>
public sealed class BatchPlanTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private string Source(string name, string text = "not empty")
    {
        var path = _env.PathIn(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Each_output_goes_beside_its_source_and_existing_ones_are_refused_skipped_or_overwritten_as_asked()
    {
        var a = Source("a.mkv");
        var b = Source("b.mkv");
        File.WriteAllText(_env.PathIn("b.mp3"), "made before");
        var sources = new[] { a, b };

        var plain = BatchPlan.Decide(sources, null, ".mp3", ".out", overwrite: false, skipExisting: false);
        Assert.Equal(new[] { _env.PathIn("a.mp3"), _env.PathIn("b.mp3") }, plain.Select(p => p.Output));
        Assert.Equal(new[] { PlannedAction.Run, PlannedAction.Refuse }, plain.Select(p => p.Action));
        Assert.Equal(PlannedAction.Skip, BatchPlan.Decide(sources, null, ".mp3", ".out", false, skipExisting: true)[1].Action);
        var forced = BatchPlan.Decide(sources, null, ".mp3", ".out", overwrite: true, skipExisting: false)[1];
        Assert.Equal((PlannedAction.Run, true), (forced.Action, forced.Exists));
    }

    [Fact]
    public void Two_sources_that_would_write_one_output_are_caught_and_the_source_is_never_its_own_output()
    {
        var mkv = Source("talk.mkv");
        var mov = Source("talk.mov");
        var plan = BatchPlan.Decide(new[] { mkv, mov }, null, ".mp4", ".compressed", false, false);
        Assert.Equal(new[] { PlannedAction.Run, PlannedAction.SameOutput }, plan.Select(p => p.Action));

        var mp4 = Source("clip.mp4");
        Assert.Equal(_env.PathIn("clip.compressed.mp4"), BatchPlan.Decide(new[] { mp4 }, null, ".mp4", ".compressed", false, false).Single().Output);
    }

    [Fact]
    public void Several_sources_need_a_folder_to_go_to()
    {
        var sources = new[] { Source("a.mkv"), Source("b.mkv") };
        Assert.Throws<ArgumentException>(() => BatchPlan.Decide(sources, _env.PathIn("one.mp3"), ".mp3", ".out", false, false));
        Assert.All(BatchPlan.Decide(sources, _env.WorkDirectory, ".mp3", ".out", false, false), p => Assert.Equal(PlannedAction.Run, p.Action));
    }

    [Fact]
    public void Only_sources_the_service_would_take_count_towards_the_credits()
    {
        var good = Source("good.mp4");
        var empty = Source("empty.mp4", "");
        var text = Source("notes.txt");
        var requests = new MediaJobRequest[]
        {
            new Mp3Request(good, _env.PathIn("good.mp3"), 192),
            new Mp3Request(empty, _env.PathIn("empty.mp3"), 192),
            new Mp3Request(text, _env.PathIn("notes.mp3"), 192),
            new Mp3Request(_env.PathIn("missing.mp4"), _env.PathIn("missing.mp3"), 192),
        };
        Assert.Equal(1, BatchPlan.FilesToSend(requests));
    }
}
