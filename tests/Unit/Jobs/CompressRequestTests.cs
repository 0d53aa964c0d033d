using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using Facts = NemoVideo.Media.MediaFacts;
using Xunit;

namespace NemoVideo.Tests.Jobs;

/// <summary>The compression kind on its own: what it asks the render for, how it judges a made file, and the ffmpeg runs it plans.</summary>
public sealed class CompressRequestTests
{
    private static Facts Mp4(int videoKbps, int height = 720, string codec = "h264", string? tag = null) => new()
    {
        Container = MediaContainer.Mp4, HasVideo = true, HasAudio = true, VideoBitrateKbps = videoKbps, Height = height,
        VideoCodec = codec, VideoCodecTag = tag, Duration = TimeSpan.FromSeconds(10), Length = 1_000_000,
    };

    private static MediaInfo Source(string audioCodec = "aac") => new()
    {
        Path = "talk.mov", Duration = TimeSpan.FromSeconds(10),
        Streams = new[]
        {
            new MediaStream { Type = "video", Codec = "h264", TypeIndex = 0, Height = 1080, Width = 1920 },
            new MediaStream { Type = "audio", Codec = audioCodec, TypeIndex = 0, BitRate = 128_000 },
        },
    };

    [Fact]
    public void The_render_is_asked_for_the_codec_and_bitrate_and_a_target_size_states_its_audio()
    {
        var output = new CompressRequest("a.mov", "a.mp4", 8000) { Codec = VideoCodec.H265 }.RenderOutput;
        Assert.Equal(("mp4", "h265", "8000k", (string?)null), (output.Format, output.Codec, output.VideoBitrate, output.AudioBitrate));
    }

    [Fact]
    public void A_made_file_of_the_wrong_kind_height_codec_or_far_too_high_a_bitrate_is_a_problem()
    {
        var request = new CompressRequest("a.mov", "a.mp4", 2000, height: 720);
        Assert.Null(request.Judge(Mp4(2100), null).Problem);
        Assert.Contains("not an MP4 video", request.Judge(new Facts { Container = MediaContainer.Mp3, HasAudio = true }, null).Problem);
        Assert.Contains("not 720p", request.Judge(Mp4(2000, height: 1080), null).Problem);
        Assert.Contains("far above", request.Judge(Mp4(2000 * 2), null).Problem);
        Assert.Contains("not H.264", request.Judge(Mp4(2000, codec: "hevc"), null).Problem);
        var h265 = new CompressRequest("a.mov", "a.mp4", 2000) { Codec = VideoCodec.H265 };
        Assert.Contains("tagged hev1", h265.Judge(Mp4(2000, codec: "hevc", tag: "hev1"), null).Problem);
        Assert.Null(h265.Judge(Mp4(2000, codec: "hevc", tag: "hvc1"), null).Problem);
        Assert.Equal((2100, 2000), (request.MeasuredKbps(Mp4(2100)), request.RequestedKbps!.Value));
    }

    [Fact]
    public void One_pass_is_capped_two_passes_share_a_log_and_audio_MP4_carries_is_copied()
    {
        var one = new CompressRequest("a.mov", "a.mp4", 2500, height: 720).Plan(Source(), "out.tmp", "log");
        var pass = Assert.Single(one.Passes);
        Assert.Contains("-maxrate", pass);
        Assert.Contains("scale=-2:720", pass);
        Assert.Equal(new[] { "-c:a", "copy" }, pass.SkipWhile(a => a != "-c:a").Take(2));

        var two = new CompressRequest("a.mov", "a.mp4", 2500) { TwoPass = true }.Plan(Source("pcm_s16le"), "out.tmp", "log");
        Assert.Equal(2, two.Passes.Count);
        Assert.Contains("1", two.Passes[0].SkipWhile(a => a != "-pass").Take(2));
        Assert.Contains("-an", two.Passes[0]); // the first pass writes no audio
        Assert.Equal(new[] { "-c:a", "aac", "-b:a", "160k" }, two.Passes[1].SkipWhile(a => a != "-c:a").Take(4)); // PCM does not go into MP4 as it is

        var hevc = new CompressRequest("a.mov", "a.mp4", 2500) { Codec = VideoCodec.H265 }.Plan(Source(), "out.tmp", "log");
        Assert.Equal(new[] { "-tag:v", "hvc1" }, hevc.Passes.Single().SkipWhile(a => a != "-tag:v").Take(2));
    }

    [Fact]
    public void A_source_without_video_has_nothing_to_compress()
    {
        var audioOnly = new MediaInfo { Path = "talk.m4a", Streams = new[] { new MediaStream { Type = "audio", Codec = "aac" } } };
        Assert.Equal(InputProblem.NoSuchTrack, Assert.Throws<MediaInputException>(() => new CompressRequest("a.m4a", "a.mp4", 2500).Plan(audioOnly, "out.tmp", "log")).Problem);
    }
}
