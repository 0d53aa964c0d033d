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
    public void A_destination_not_there_yet_is_a_folder_to_make_when_it_ends_in_a_separator_or_takes_several_sources()
    {
        var a = Source("a.mkv");
        var b = Source("b.mkv");
        var small = _env.PathIn("small");

        var one = BatchPlan.Decide(new[] { a }, small + Path.DirectorySeparatorChar, ".mp3", ".out", false, false).Single();
        Assert.Equal((Path.Combine(small, "a.mp3"), small), (one.Output, one.FolderToMake));
        Assert.False(Directory.Exists(small)); // deciding makes nothing: the cmdlet makes it only for a job that runs

        var several = BatchPlan.Decide(new[] { a, b }, Path.Combine(small, "deeper"), ".mp3", ".out", false, false);
        Assert.Equal(new[] { Path.Combine(small, "deeper", "a.mp3"), Path.Combine(small, "deeper", "b.mp3") }, several.Select(p => p.Output));
        Assert.All(several, p => Assert.Equal(Path.Combine(small, "deeper"), p.FolderToMake));

        BatchPlan.MakeFolders(several);
        Assert.True(Directory.Exists(Path.Combine(small, "deeper")));
        Assert.All(BatchPlan.Decide(new[] { a, b }, Path.Combine(small, "deeper"), ".mp3", ".out", false, false), p => Assert.Null(p.FolderToMake));
    }

    [Fact]
    public void A_single_source_without_a_separator_names_a_file_and_makes_no_folder()
    {
        var a = Source("a.mkv");
        var plan = BatchPlan.Decide(new[] { a }, _env.PathIn("episode"), ".mp3", ".out", false, false).Single();
        Assert.Equal((_env.PathIn("episode"), (string?)null), (plan.Output, plan.FolderToMake));
        var nested = BatchPlan.Decide(new[] { a }, Path.Combine(_env.PathIn("missing"), "episode.mp3"), ".mp3", ".out", false, false).Single();
        Assert.Null(nested.FolderToMake); // a file name's folder must exist: CheckWritable says so before any work
        Assert.Null(BatchPlan.Decide(new[] { a }, null, ".mp3", ".out", false, false).Single().FolderToMake);
    }

    [Fact]
    public void Several_sources_and_a_name_in_the_outputs_extension_or_an_existing_file_are_still_refused()
    {
        var sources = new[] { Source("a.mkv"), Source("b.mkv") };
        var existing = Source("taken");
        Assert.Throws<ArgumentException>(() => BatchPlan.Decide(sources, _env.PathIn("missing.mp3"), ".mp3", ".out", false, false));
        Assert.Throws<ArgumentException>(() => BatchPlan.Decide(sources, existing, ".mp3", ".out", false, false));
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
