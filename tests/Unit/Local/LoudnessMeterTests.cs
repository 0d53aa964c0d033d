using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Tests.Local;

/// <summary>ffmpeg's loudness summary read, and the filter and the verdict worked out from it. Measured files are in <see cref="Podcast.PodcastMp3Tests"/>.</summary>
public class LoudnessMeterTests
{
    [Fact]
    public void The_loudness_summary_of_ffmpeg_is_read_and_the_plan_prefers_a_plain_gain()
    {
        const string log = "[Parsed_ebur128_0 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -31.1 LUFS\n    Threshold: -42.9 LUFS\n\n  Loudness range:\n    LRA:         7.0 LU\n    Threshold: -52.8 LUFS\n    LRA low:   -35.0 LUFS\n    LRA high:  -28.0 LUFS\n\n  True peak:\n    Peak:       -3.8 dBFS\n";
        var reading = LoudnessMeter.Parse(log)!;
        Assert.Equal((-31.1, -3.8, 7.0, -42.9), (reading.Integrated, reading.TruePeak, reading.Range, reading.Threshold));
        Assert.Contains(",alimiter=", LoudnessMeter.FilterFor(new LoudnessTarget(-16), reading, 44100)); // +15 dB would push the peaks to +11: the true-peak limiter
        Assert.Equal("volume=-6.00dB", LoudnessMeter.FilterFor(new LoudnessTarget(-16), new LoudnessReading(-10, -5, 3, -20), 44100));
        Assert.Null(LoudnessMeter.Miss(new LoudnessTarget(-16), new LoudnessReading(-16.4, -1.2, 3, -26)));
        Assert.Contains("-16.6 LUFS", LoudnessMeter.Miss(new LoudnessTarget(-16), new LoudnessReading(-16.6, -1.2, 3, -26)));
        Assert.Contains("true peak", LoudnessMeter.Miss(new LoudnessTarget(-16, -1), new LoudnessReading(-16, -0.5, 3, -26)));
    }
}
