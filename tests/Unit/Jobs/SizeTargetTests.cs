using NemoVideo.Api;
using NemoVideo.Jobs;
using NemoVideo.Media;

namespace NemoVideo.Tests.Jobs;

/// <summary>The arithmetic of a target size, on its own: the plan's bitrate, the window, the one corrected pass. Real encodes are in <see cref="TargetSizeTests"/>.</summary>
public class SizeTargetTests
{
    [Fact]
    public void Sizes_read_as_PowerShell_counts_and_the_renderer_is_asked_in_its_vocabulary()
    {
        Assert.Equal(25L * 1024 * 1024, FileSize.Parse("25 MB").Bytes);
        Assert.Equal(25L * 1024 * 1024, FileSize.Parse("25MB").Bytes);
        Assert.Equal(800L * 1024, FileSize.Parse("800KB").Bytes);
        Assert.Equal((long)(1.5 * 1024 * 1024 * 1024), FileSize.Parse("1.5GB").Bytes);
        Assert.Equal(1000L, FileSize.Parse("1000").Bytes);
        Assert.Throws<FormatException>(() => FileSize.Parse("25 furlongs"));
        Assert.Equal("25 MB", new FileSize(25L * 1024 * 1024).ToString());
        Assert.Equal("1.5 GB", FileSize.Parse("1.5GB").ToString());

        // 25 MB over 60 s with 128 kbps audio: the video gets the rest of 93 % of it, less the MP4's tables.
        var sized = SizeTarget.Plan(new CompressRequest("a.mp4", "b.mp4", FileSize.Parse("25MB")) { Codec = VideoCodec.H265 }, TimeSpan.FromSeconds(60), 1080, AudioCost.Encoded(128));
        var expected = (25.0 * 1024 * 1024 * SizeTarget.Aim - SizeTarget.OverheadBytes(TimeSpan.FromSeconds(60))) * 8 / 60 / 1000 - 128;
        Assert.InRange(sized.VideoBitrateKbps, expected - 1, expected);
        Assert.True(sized.TwoPass);
        Assert.Null(sized.Height);
        var output = sized.RenderOutput;
        Assert.Equal(("mp4", "h265", sized.VideoBitrateKbps + "k", "128k"), (output.Format, output.Codec, output.VideoBitrate, output.AudioBitrate));
        Assert.Contains("in H.265", sized.Instruction);
    }

    [Fact]
    public void A_first_encode_off_the_window_gets_one_corrected_bitrate_and_a_second_miss_is_an_error_saying_what_came_out()
    {
        var target = FileSize.Parse("1MB");
        var made = SizeTarget.Plan(new CompressRequest("a.mp4", "b.mp4", target), TimeSpan.FromSeconds(10), 480, AudioCost.Encoded(128));
        // The encoder overshot by 20 %: the file is over the target.
        var over = new NemoVideo.Media.MediaFacts
        {
            Container = MediaContainer.Mp4, HasVideo = true, VideoCodec = "h264", Duration = TimeSpan.FromSeconds(10),
            VideoBitrateKbps = (int)(made.VideoBitrateKbps * 1.2), Length = (long)(target.Bytes * 1.1),
        };
        Assert.Contains("over the 1 MB asked", SizeTarget.Miss(target, over.Length));
        var again = SizeTarget.Corrected(made, over)!;
        Assert.True(again.VideoBitrateKbps < made.VideoBitrateKbps * 0.85, $"{again.VideoBitrateKbps} after {made.VideoBitrateKbps}");
        var rest = over.Length - over.VideoBitrateKbps!.Value * 1000.0 / 8 * 10;
        var landing = rest + again.VideoBitrateKbps * 1.2 * 1000 / 8 * 10; // the same overshoot at the new bitrate
        Assert.InRange(landing, target.Bytes * SizeTarget.Floor, target.Bytes);
        Assert.Null(SizeTarget.Corrected(again, over)); // one corrected pass, no more
        var error = SizeTarget.Missed(again, over.Length, SizeTarget.Miss(target, over.Length)!);
        Assert.Equal(SizeProblem.Missed, error.Problem);
        Assert.Contains("after a corrected pass it is 1.1 MB, over the 1 MB asked", error.Message);
        Assert.Null(SizeTarget.Miss(target, (long)(target.Bytes * 0.9)));
        Assert.Contains("at least 85%", SizeTarget.Miss(target, (long)(target.Bytes * 0.5)));
    }
}
