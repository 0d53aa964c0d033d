using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

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
