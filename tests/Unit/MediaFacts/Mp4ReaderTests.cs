using System.Globalization;
using System.Text.Json;
using NemoVideo.Media;
using Inspector = NemoVideo.Media.MediaInspector;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>MP4/M4A files that other readers see differently: HE-AAC's output rate, a missing or cut mdat, impossible bitrates.</summary>
public class Mp4ReaderTests
{
    private static async Task<JsonElement> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-of", "json", path });
        Assert.True(code == 0, err);
        return JsonDocument.Parse(json).RootElement;
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String
        ? int.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture) : e.GetProperty(name).GetInt32();

    /// <summary>An M4A of AAC-LC at 22050 Hz from ffmpeg's encoder, whose config ends with the SBR sync extension (sbrPresentFlag 0).</summary>
    private static Task<string> LcAt22050Async() => Media.MadeAsync("lc-22050.m4a", path => new List<string>
    {
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050:duration=3", "-ac", "2", "-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", path,
    });

    [Fact]
    public async Task An_HE_AAC_M4A_is_reported_at_its_output_rate_as_ffprobe_reports_it()
    {
        // ffmpeg's encoder cannot make HE-AAC: its config (13 90 56 E5 00: LC, 22050, stereo, then 0x2B7 and SBR absent) is
        // patched in place to signal SBR at 44100 (sbrPresentFlag 1, extension rate index 4), which is what an HE-AAC file says.
        var lc = await LcAt22050Async();
        var bytes = await File.ReadAllBytesAsync(lc);
        var at = bytes.AsSpan().IndexOf(new byte[] { 0x13, 0x90, 0x56, 0xE5, 0x00 });
        Assert.True(at > 0, "ffmpeg's AudioSpecificConfig for AAC-LC 22050 Hz stereo");
        bytes[at + 4] = 0xA0;
        var he = Path.Combine(Path.GetDirectoryName(lc)!, "he-aac-44100.m4a");
        await File.WriteAllBytesAsync(he, bytes);

        var audio = (await ProbeAsync(he)).GetProperty("streams")[0];
        var facts = Inspector.Inspect(he);
        Assert.Equal(44100, Int(audio, "sample_rate"));
        Assert.Equal(Int(audio, "sample_rate"), facts.SampleRate);
        Assert.Equal(Int(audio, "channels"), facts.Channels);
        Assert.Equal(44100, facts.AudioTracks[0].SampleRate);

        // The unpatched file is what it says: 22050 Hz.
        Assert.Equal(22050, Inspector.Inspect(lc).SampleRate);

        // Copied into Matroska, the rate is the track's OutputSamplingFrequency (its SamplingFrequency is the core's).
        var mkv = Path.Combine(Path.GetDirectoryName(lc)!, "he-aac-44100.mka");
        var (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-v", "error", "-y", "-i", he, "-c", "copy", mkv });
        Assert.True(code == 0, err);
        Assert.Equal(Int((await ProbeAsync(mkv)).GetProperty("streams")[0], "sample_rate"), Inspector.Inspect(mkv).SampleRate);
        Assert.Equal(44100, Inspector.Inspect(mkv).AudioTracks[0].SampleRate);
    }

    [Theory]
    [InlineData("2B118800", 48000, 2)]     // explicit: object type 5, core 24000 Hz stereo, SBR at 48000
    [InlineData("EB8A0800", 44100, 2)]     // explicit: object type 29 (SBR and PS), core 22050 Hz mono, SBR at 44100: stereo out
    [InlineData("138856E5A54880", 44100, 2)] // backward compatible: LC 22050 Hz mono, 0x2B7 SBR at 44100, 0x548 PS
    [InlineData("1210", 44100, 2)]         // plain LC
    [InlineData("139056E500", 22050, 2)]   // LC with the SBR extension saying "absent" (ffmpeg's encoder)
    public void The_output_rate_and_channels_of_an_AudioSpecificConfig_are_a_players(string hex, int rate, int channels)
    {
        var config = Convert.FromHexString(hex);
        var output = AacOutput.Read(config, 0, config.Length);
        Assert.Equal(rate, output.SampleRate);
        Assert.Equal(channels, output.Channels);
    }

    /// <summary>A 3-second audiobook with its index first, as ffmpeg writes it with faststart.</summary>
    private static Task<string> BookAsync() => Media.MadeAsync("book-3s.m4b", path => new List<string>
    {
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3", "-c:a", "aac", "-b:a", "64k", "-f", "ipod", "-movflags", "+faststart", path,
    });

    private static int Box(byte[] bytes, string type) => bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(type)) - 4;

    private static void PutU32(byte[] b, int at, uint value) { b[at] = (byte)(value >> 24); b[at + 1] = (byte)(value >> 16); b[at + 2] = (byte)(value >> 8); b[at + 3] = (byte)value; }

    private static async Task<string> PatchedAsync(string name, Action<byte[]> patch, int? cutAt = null)
    {
        var source = await BookAsync();
        var bytes = await File.ReadAllBytesAsync(source);
        patch(bytes);
        var path = Path.Combine(Path.GetDirectoryName(source)!, name);
        await File.WriteAllBytesAsync(path, cutAt is int n ? bytes.AsSpan(0, n).ToArray() : bytes);
        return path;
    }

    private static double StreamSeconds(JsonElement probe) =>
        double.Parse(probe.GetProperty("streams")[0].GetProperty("duration").GetString()!, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_M4B_without_its_audio_data_is_cut_short_and_as_long_as_its_track(bool garbageMovieLength)
    {
        var whole = await File.ReadAllBytesAsync(await BookAsync());
        var mdat = Box(whole, "mdat");
        Assert.True(mdat > Box(whole, "moov"), "faststart puts the index first");
        // The file ends where its media data would start; the movie header may also claim 44 times the length (a tagger's timescale slip).
        var path = await PatchedAsync($"book-no-mdat-{garbageMovieLength}.m4b", b =>
        {
            var mvhd = Box(b, "mvhd");
            if (garbageMovieLength) PutU32(b, mvhd + 8 + 16, Mp4Reader.U32(b, mvhd + 8 + 16) * 44);
        }, mdat);
        var probe = await ProbeAsync(path);

        var facts = Inspector.Inspect(path);
        Assert.True(facts.Truncated, "the sample table points past the end of the file");
        Assert.InRange(facts.Duration!.Value.TotalSeconds, StreamSeconds(probe) - 0.05, StreamSeconds(probe) + 0.05); // ffprobe leaves out the priming frame
        Assert.Null(facts.AudioBitrateKbps);
        Assert.Contains("cut short", facts.Describe());
        Assert.InRange(MediaReport.Of(path, facts).Bitrate!.Value, 1, 5); // the file's bytes over its length, as ffprobe's format bit_rate
    }

    [Fact]
    public async Task A_movie_length_far_from_its_tracks_is_not_believed()
    {
        var path = await PatchedAsync("book-garbage-mvhd.m4b", b => { var mvhd = Box(b, "mvhd"); PutU32(b, mvhd + 8 + 16, Mp4Reader.U32(b, mvhd + 8 + 16) * 44); });
        var probe = await ProbeAsync(path);
        var facts = Inspector.Inspect(path);
        Assert.False(facts.Truncated);
        Assert.InRange(facts.Duration!.Value.TotalSeconds, StreamSeconds(probe) - 0.05, StreamSeconds(probe) + 0.05); // ffprobe leaves out the priming frame
        Assert.Equal(int.Parse(probe.GetProperty("streams")[0].GetProperty("bit_rate").GetString()!, CultureInfo.InvariantCulture) / 1000.0, facts.AudioBitrateKbps!.Value, 0);
    }

    [Fact]
    public async Task A_sample_larger_than_the_file_gives_no_bitrate_and_a_damaged_file()
    {
        var path = await PatchedAsync("book-huge-sample.m4a", b => { var stsz = Box(b, "stsz"); PutU32(b, stsz + 8 + 12, 0x7FFF0000); });
        var facts = Inspector.Inspect(path);
        Assert.Null(facts.AudioBitrateKbps);
        Assert.True(facts.Truncated);
        Assert.Equal(3, facts.Duration!.Value.TotalSeconds, 1);
    }

    [Fact]
    public async Task A_track_length_too_short_for_its_bytes_gives_no_bitrate()
    {
        // mdhd says 1/44100 s (and stts no more): 24 KB in that time would be some 8 Gbps.
        var path = await PatchedAsync("book-tiny-mdhd.m4a", b =>
        {
            var mdhd = Box(b, "mdhd");
            PutU32(b, mdhd + 8 + 16, 1);
            var stts = Box(b, "stts");
            PutU32(b, stts + 8 + 4, 1); PutU32(b, stts + 8 + 8, 1); PutU32(b, stts + 8 + 12, 1);
        });
        var facts = Inspector.Inspect(path);
        Assert.Null(facts.AudioBitrateKbps);
        Assert.Equal(3, facts.Duration!.Value.TotalSeconds, 1);
        Assert.True(MediaReport.Of(path, facts).Bitrate is int kbps && kbps < 1000);
    }
}
