using NemoVideo.Media;

namespace NemoVideo.Tests.MediaFacts;

public class MediaChapterTests
{
    [Theory]
    [InlineData("90", 90.0)]
    [InlineData("1:30", 90.0)]
    [InlineData("01:02:03.5", 3723.5)]
    [InlineData("1:02:03,25", 3723.25)]
    public void Chapter_times_are_read_as_people_write_them(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), MediaChapter.ParseTime(text));

    [Theory]
    [InlineData("1:75")]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1.5:30")]
    public void A_time_that_is_not_one_says_how_to_write_it(string text) =>
        Assert.Contains("minutes:seconds", Assert.Throws<FormatException>(() => MediaChapter.ParseTime(text)).Message);
}
