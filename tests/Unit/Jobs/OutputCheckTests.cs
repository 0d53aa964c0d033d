using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Media;
using Facts = NemoVideo.Media.MediaFacts;

namespace NemoVideo.Tests.Jobs;

/// <summary>The rules every kind's results share, from a made file's measured facts.</summary>
public class OutputCheckTests
{
    private static readonly Facts Mp3 = new() { Container = MediaContainer.Mp3, HasAudio = true, AudioCodec = "mp3", AudioBitrateKbps = 192, Length = 1000 };
    private static readonly Facts Video = new() { Container = MediaContainer.Mp4, HasVideo = true, HasAudio = true, VideoCodec = "h264", AudioCodec = "aac", Length = 1000 };
    private static readonly Facts Audio = new() { Container = MediaContainer.Mp4, HasAudio = true, AudioCodec = "aac", Length = 1000 };

    [Fact]
    public void A_length_within_a_second_or_5_percent_of_the_source_says_nothing()
    {
        var warnings = new List<string>();
        OutputCheck.CompareLength("a.mp3", new Facts { Duration = TimeSpan.FromSeconds(10.9) }, TimeSpan.FromSeconds(10), warnings);  // under a second
        OutputCheck.CompareLength("a.mp3", new Facts { Duration = TimeSpan.FromSeconds(104) }, TimeSpan.FromSeconds(100), warnings);  // under 5 %
        OutputCheck.CompareLength("a.mp3", new Facts(), TimeSpan.FromSeconds(100), warnings);                                          // no length read
        OutputCheck.CompareLength("a.mp3", new Facts { Duration = TimeSpan.FromSeconds(1) }, null, warnings);                           // no source length
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_length_further_off_is_a_warning_naming_both()
    {
        var warnings = new List<string>();
        OutputCheck.CompareLength("a.mp3", new Facts { Duration = TimeSpan.FromSeconds(8.5) }, TimeSpan.FromSeconds(10), warnings);
        OutputCheck.CompareLength("b.mp3", new Facts { Duration = TimeSpan.FromSeconds(106) }, TimeSpan.FromSeconds(100), warnings);
        Assert.Equal(new[] { "'a.mp3' is 8.5 s long while its source is 10.0 s.", "'b.mp3' is 106.0 s long while its source is 100.0 s." }, warnings);
    }

    [Fact]
    public void An_export_is_whole_media_of_the_format_asked()
    {
        Assert.Null(OutputCheck.ForFormat("mp3", Mp3));
        Assert.Null(OutputCheck.ForFormat("mp4", Video));
        Assert.Null(OutputCheck.ForFormat("m4a", Audio));
        Assert.Null(OutputCheck.ForFormat("wav", new Facts { Container = MediaContainer.Wave, HasAudio = true }));
        Assert.StartsWith("The service returned an MP4 video (h264, aac) instead of an MP3", OutputCheck.ForFormat("mp3", Video));
        Assert.Equal("The service returned an MP4 audio file (aac) instead of a mp4 video", OutputCheck.ForFormat("mp4", Audio));
        Assert.StartsWith("The service returned an MP4 file without audio or video instead of wav audio", OutputCheck.ForFormat("wav", new Facts { Container = MediaContainer.Mp4, Length = 10 }));
        Assert.Equal("The service returned a text file (starting \"<html>\"), not media", OutputCheck.ForFormat("gif", new Facts { Container = MediaContainer.Other, TextStart = "<html>" }));
        Assert.Equal("The service returned a file of 7 bytes that is not recognised media, not media", OutputCheck.ForFormat("gif", new Facts { Length = 7 }));
    }

    [Fact]
    public void A_damaged_export_is_refused_whatever_it_is()
    {
        var cut = new Facts { Container = MediaContainer.Mp3, HasAudio = true, AudioBitrateKbps = 128, Truncated = true };
        Assert.StartsWith("The service returned a damaged file (an MP3 (128 kbps CBR, cut short))", OutputCheck.ForFormat("mp3", cut));
    }

    [Fact]
    public void The_codec_asked_is_read_from_the_video_and_H265_must_be_tagged_hvc1()
    {
        Assert.Null(OutputCheck.CodecProblem(VideoCodec.H264, Video));
        Assert.Null(OutputCheck.CodecProblem(VideoCodec.H265, new Facts { VideoCodec = "hevc", VideoCodecTag = "hvc1" }));
        Assert.Null(OutputCheck.CodecProblem(VideoCodec.H265, new Facts { VideoCodec = "hevc" })); // no tag read: nothing to say
        Assert.Equal("its video is h264, not H.265 as asked", OutputCheck.CodecProblem(VideoCodec.H265, Video));
        Assert.Equal("its video is hevc, not H.264 as asked", OutputCheck.CodecProblem(VideoCodec.H264, new Facts { VideoCodec = "hevc" }));
        Assert.Equal("its video is of an unknown codec, not H.264 as asked", OutputCheck.CodecProblem(VideoCodec.H264, new Facts()));
        Assert.Contains("tagged hev1", OutputCheck.CodecProblem(VideoCodec.H265, new Facts { VideoCodec = "hevc", VideoCodecTag = "hev1" }));
    }

    [Theory]
    [InlineData(192, 192, true)]
    [InlineData(191, 192, true)]  // LAME's 191 is 192
    [InlineData(198, 192, true)]  // within 3 %
    [InlineData(200, 192, true)]  // over 3 %, but its nearest standard rate is 192
    [InlineData(210, 192, false)] // nearest 224
    [InlineData(160, 192, false)]
    [InlineData(130, 128, true)]
    [InlineData(320, 256, false)]
    public void An_MP3_rate_is_the_same_within_3_percent_or_at_the_same_standard_rate(int measured, int asked, bool same) =>
        Assert.Equal(same, OutputCheck.SameMp3Rate(measured, asked));
}
