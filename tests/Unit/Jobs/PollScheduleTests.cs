using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

public class PollScheduleTests
{
    private static RenderJob At(double progress, TimeSpan? retryAfter = null) =>
        new() { Id = "r", Status = RenderStatus.Processing, Progress = progress, RetryAfter = retryAfter };

    [Fact]
    public void Starts_short_and_grows_while_there_is_no_progress()
    {
        var s = new PollSchedule();
        var waits = Enumerable.Range(0, 10).Select(i => s.Next(i, At(0), TimeSpan.FromSeconds(i))).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), waits[0]);
        Assert.True(waits.Zip(waits.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(s.Max, waits[^1]);
    }

    [Fact]
    public void Shrinks_as_the_reported_progress_nears_the_end()
    {
        var s = new PollSchedule();
        var early = s.Next(8, At(10), TimeSpan.FromSeconds(10));
        var late = s.Next(9, At(95), TimeSpan.FromSeconds(85));
        Assert.True(late < early);
        Assert.InRange(late, s.Min, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void A_server_hint_wins()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), new PollSchedule().Next(0, At(50, TimeSpan.FromSeconds(7)), TimeSpan.FromSeconds(1)));
    }
}

public class MediaUnitsTests
{
    [Theory]
    [InlineData("8Mbps", 8000)]
    [InlineData("8M", 8000)]
    [InlineData("8000k", 8000)]
    [InlineData("8000kbps", 8000)]
    [InlineData("2.5 Mbps", 2500)]
    [InlineData("2,5M", 2500)]
    [InlineData("800", 800)]
    [InlineData("1500000bps", 1500)]
    public void Reads_bitrates_as_people_write_them(string text, int kbps) => Assert.Equal(kbps, MediaUnits.ParseKbps(text));

    [Theory]
    [InlineData("fast")]
    [InlineData("8 Gbps")]
    [InlineData("")]
    [InlineData("-5M")]
    public void Refuses_what_is_not_a_bitrate_with_examples(string text) =>
        Assert.Contains("8Mbps", Assert.Throws<FormatException>(() => MediaUnits.ParseKbps(text)).Message);

    [Theory]
    [InlineData("720p", 720)]
    [InlineData("1080", 1080)]
    [InlineData("4K", 2160)]
    public void Reads_resolutions(string text, int lines) => Assert.Equal(lines, MediaUnits.ParseHeight(text));
}
