using NemoVideo.Local;

namespace NemoVideo.Tests.Local;

/// <summary>ffmpeg's -progress lines read as the share of the file done.</summary>
public class FfmpegProgressTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("out_time_us=2500000", 0.25)]
    [InlineData("out_time_ms=5000000", 0.5)] // microseconds, despite its name
    [InlineData("out_time_us=0", 0.0)]
    [InlineData("out_time_us=12000000", 1.0)] // past the end: done, never more
    public void Reads_the_out_time_in_microseconds_as_a_share_of_the_length(string line, double share)
    {
        Assert.True(FfmpegProgress.TryRead(line, TenSeconds, out var read));
        Assert.Equal(share, read, 6);
    }

    [Theory]
    [InlineData("out_time=00:00:02.500000")]
    [InlineData("frame=12")]
    [InlineData("out_time_us=N/A")]
    [InlineData("out_time_us=-1")]
    [InlineData("progress=continue")]
    public void Other_lines_and_unknown_times_are_not_progress(string line)
    {
        Assert.False(FfmpegProgress.TryRead(line, TenSeconds, out var read));
        Assert.Equal(0, read);
    }

    [Fact]
    public void Without_a_length_nothing_is_a_share()
    {
        Assert.False(FfmpegProgress.TryRead("out_time_us=2500000", null, out _));
        Assert.False(FfmpegProgress.TryRead("out_time_us=2500000", TimeSpan.Zero, out _));
    }
}
