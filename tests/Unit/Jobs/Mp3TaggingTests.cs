using NemoVideo.Jobs;
using NemoVideo.Media;

namespace NemoVideo.Tests.Jobs;

/// <summary>What an MP3's ID3v2 tag is to be changed to, worked out from the request and the source. Tags on real files are in <see cref="Podcast.PodcastMp3Tests"/>.</summary>
public class Mp3TaggingTests
{
    [Fact]
    public void Chapters_past_the_end_of_the_audio_or_twice_at_one_time_are_left_out_and_said()
    {
        var request = new Mp3Request("in.mkv", "out.mp3", 128)
        {
            Chapters = new[] { new MediaChapter(TimeSpan.FromSeconds(5), null, "b"), new MediaChapter(TimeSpan.Zero, null, "a"), new MediaChapter(TimeSpan.FromSeconds(5), null, "again"), new MediaChapter(TimeSpan.FromSeconds(100), null, "late") },
        };
        var warnings = new List<string>();
        var changes = Mp3Tagging.ChangesFor(request, new NemoVideo.Media.MediaFacts(), new NemoVideo.Media.MediaFacts { Duration = TimeSpan.FromSeconds(12) }, warnings)!;
        Assert.Equal(new[] { "a", "b" }, changes.Chapters!.Select(c => c.Title));
        Assert.Contains("2 chapter(s)", Assert.Single(warnings));

        var many = new Mp3Request("in.mkv", "out.mp3", 128) { Chapters = Enumerable.Range(0, 300).Select(i => new MediaChapter(TimeSpan.FromSeconds(i), null, "c" + i)).ToList() };
        warnings.Clear();
        Assert.Equal(255, Mp3Tagging.ChangesFor(many, new NemoVideo.Media.MediaFacts(), new NemoVideo.Media.MediaFacts { Duration = TimeSpan.FromHours(1) }, warnings)!.Chapters!.Count);
        Assert.Contains("first 255", Assert.Single(warnings));
    }

    [Fact]
    public void A_source_date_an_MP3_tag_cannot_hold_is_not_carried_and_a_removed_tag_is_not_brought_back()
    {
        var source = new NemoVideo.Media.MediaFacts { Tags = new Dictionary<string, string> { ["date"] = "May 2024", ["title"] = "T", ["encoder"] = "x" } };
        var request = new Mp3Request("in.mkv", "out.mp3", 128) { Tags = new Dictionary<string, string?> { ["title"] = null } };
        Assert.Null(Mp3Tagging.ChangesFor(request, source, new NemoVideo.Media.MediaFacts()));
    }
}
