using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using Facts = NemoVideo.Media.MediaFacts;
using Xunit;

namespace NemoVideo.Tests.Jobs;

/// <summary>The MP3 kind on its own: what it asks the render for, how it judges a made file, and the ffmpeg runs it plans.</summary>
public sealed class Mp3RequestTests
{
    private static Facts Mp3(int kbps, bool vbr = false, double seconds = 10, bool truncated = false) => new()
    {
        Container = MediaContainer.Mp3, HasAudio = true, AudioBitrateKbps = kbps, IsVbr = vbr, Duration = TimeSpan.FromSeconds(seconds), Truncated = truncated,
    };

    private static MediaInfo Source(string codec = "aac", params string?[] languages) => new()
    {
        Path = "talk.mkv", Duration = TimeSpan.FromSeconds(10),
        Streams = (languages.Length == 0 ? new string?[] { null } : languages)
            .Select((l, i) => new MediaStream { Type = "audio", Codec = codec, TypeIndex = i, Language = l, BitRate = 128_000, SampleRate = 44100 }).ToList(),
    };

    [Fact]
    public void The_render_is_asked_for_an_MP3_at_the_bitrate_and_a_VBR_request_leaves_the_rate_to_it()
    {
        var cbr = new Mp3Request("a.mkv", "a.mp3", 320).RenderOutput;
        Assert.Equal(("mp3", "mp3", "320k"), (cbr.Format, cbr.Codec, cbr.AudioBitrate));
        Assert.Null(new Mp3Request("a.mkv", "a.mp3", Mp3Encoding.Variable(2)).RenderOutput.AudioBitrate);
        Assert.Equal("192k", new Mp3Request("a.mkv", "a.mp3").RenderOutput.AudioBitrate); // the default, stated
    }

    [Fact]
    public void A_made_file_that_is_not_an_MP3_is_a_problem_and_another_rate_only_a_warning()
    {
        var request = new Mp3Request("a.mkv", "a.mp3", 320);
        Assert.Contains("not an MP3", request.Judge(new Facts { Container = MediaContainer.Mp4, HasVideo = true, HasAudio = true }, null).Problem);
        Assert.Contains("damaged", request.Judge(Mp3(320, truncated: true), null).Problem);
        var other = request.Judge(Mp3(128), null);
        Assert.Null(other.Problem);
        Assert.Contains("not 320 kbps as asked", Assert.Single(other.Warnings));
        Assert.Empty(request.Judge(Mp3(319), null).Warnings); // LAME's 319 is the standard 320
        Assert.Contains("not variable bitrate V2", Assert.Single(new Mp3Request("a.mkv", "a.mp3", Mp3Encoding.Variable(2)).Judge(Mp3(192), null).Warnings));
        Assert.Contains("long while its source is", Assert.Single(request.Judge(Mp3(320, seconds: 5), TimeSpan.FromSeconds(10)).Warnings));
    }

    [Fact]
    public void The_result_reports_the_audio_bitrate_measured_and_the_one_asked()
    {
        var request = new Mp3Request("a.mkv", "a.mp3", 256);
        Assert.Equal(250, request.MeasuredKbps(Mp3(250)));
        Assert.Equal(256, request.RequestedKbps);
        Assert.Null(new Mp3Request("a.mkv", "a.mp3", Mp3Encoding.Variable(0)).RequestedKbps);
    }

    [Fact]
    public void An_MP3_source_with_nothing_asked_is_copied_and_anything_asked_re_encodes_it()
    {
        var copy = new Mp3Request("a.mp3", "b.mp3").Plan(Source("mp3"), "out.tmp");
        Assert.True(copy.StreamCopied);
        Assert.Contains("copy", copy.Passes.Single());
        var encoded = new Mp3Request("a.mp3", "b.mp3", 192).Plan(Source("mp3"), "out.tmp");
        Assert.False(encoded.StreamCopied);
        Assert.Equal(new[] { "-c:a", "libmp3lame", "-b:a", "192k" }, encoded.Passes.Single().SkipWhile(a => a != "-c:a").Take(4));
        var vbr = new Mp3Request("a.mkv", "b.mp3", Mp3Encoding.Variable(3)).Plan(Source(), "out.tmp");
        Assert.Equal(new[] { "-c:a", "libmp3lame", "-q:a", "3" }, vbr.Passes.Single().SkipWhile(a => a != "-c:a").Take(4));
        var measured = new Mp3Request("a.mp3", "b.mp3").Plan(Source("mp3"), "C:\\a|b.tmp", "volume=2dB", alsoToStdout: true);
        Assert.False(measured.StreamCopied); // a gain always re-encodes
        Assert.Contains("[f=mp3:id3v2_version=3]C:\\\\a\\|b.tmp|[f=mp3]pipe:1", measured.Passes.Single()); // the tee muxer's delimiters escaped
    }

    [Fact]
    public void The_track_is_picked_by_number_or_language_and_a_missing_one_says_which_there_are()
    {
        var info = Source("aac", "eng", "ger");
        Assert.Equal(1, new Mp3Request("a.mkv", "a.mp3", 192, audioTrack: 2).PickAudio(info).TypeIndex);
        Assert.Equal(1, new Mp3Request("a.mkv", "a.mp3", 192) { AudioLanguage = "GER" }.PickAudio(info).TypeIndex);
        Assert.Equal(0, new Mp3Request("a.mkv", "a.mp3", 192) { AudioLanguage = "en" }.PickAudio(info).TypeIndex); // two letters: a prefix of eng
        var missing = Assert.Throws<MediaInputException>(() => new Mp3Request("a.mkv", "a.mp3", 192) { AudioLanguage = "fra" }.PickAudio(info));
        Assert.Equal(("1 (eng), 2 (ger)", 2), (missing.Detail, missing.TrackCount));
        Assert.Equal(2, Assert.Throws<MediaInputException>(() => new Mp3Request("a.mkv", "a.mp3", 192, audioTrack: 3).PickAudio(info)).TrackCount);
        Assert.Equal(0, Assert.Throws<MediaInputException>(() => new Mp3Request("a.mkv", "a.mp3", 192).PickAudio(new MediaInfo { Path = "v.mkv" })).TrackCount);
    }

    [Fact]
    public void The_agent_is_asked_in_words_for_the_rate_the_track_and_the_loudness()
    {
        Assert.Equal("Extract the audio as MP3 at 320 kbps (track 2).", new Mp3Request("a.mkv", "a.mp3", 320, audioTrack: 2).Instruction);
        Assert.Contains("Normalize the loudness to -16 LUFS", new Mp3Request("a.mkv", "a.mp3", 192) { Loudness = new LoudnessTarget(-16) }.Instruction);
    }
}
