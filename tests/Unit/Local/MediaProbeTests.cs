using NemoVideo.Local;
using NemoVideo.Tests.Infrastructure;
using Container = NemoVideo.Media.MediaContainer;
using Facts = NemoVideo.Media.MediaFacts;
using Inspector = NemoVideo.Media.MediaInspector;
using InputError = NemoVideo.Media.MediaInputException;
using Problem = NemoVideo.Media.InputProblem;
using Track = NemoVideo.Media.AudioTrackFacts;

namespace NemoVideo.Tests.Local;

/// <summary>ffprobe's reading of a file (real clips made with ffmpeg), the errors for what is not media, and the reading
/// built from the managed inspector's facts without starting ffprobe.</summary>
public class MediaProbeTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private static readonly FfmpegTools Tools = FfmpegTools.Locate();

    [Fact]
    public async Task A_clip_is_read_as_its_streams_and_length()
    {
        var clip = await Media.ClipAsync(".mp4", seconds: 4, height: 360);

        var info = await MediaProbe.ProbeAsync(Tools, clip);

        Assert.Equal(Path.GetFullPath(clip), info.Path);
        Assert.Contains("mp4", info.FormatName);
        Assert.InRange(info.Duration!.Value.TotalSeconds, 3.9, 4.2);
        Assert.Equal(new[] { "video", "audio" }, info.Streams.Select(s => s.Type));
        var video = info.Video!;
        Assert.Equal(("h264", 640, 360, 0), (video.Codec, video.Width!.Value, video.Height!.Value, video.TypeIndex));
        var audio = Assert.Single(info.AudioStreams);
        Assert.Equal(("aac", 2, 44100, 1, 0), (audio.Codec, audio.Channels!.Value, audio.SampleRate!.Value, audio.Index, audio.TypeIndex));
        Assert.True(audio.BitRate > 0);
        Assert.False(video.IsAttachedPicture);
    }

    [Fact]
    public async Task Each_audio_track_keeps_its_language_and_its_place_among_the_audio()
    {
        var info = await MediaProbe.ProbeAsync(Tools, await Media.TwoLanguageClipAsync());

        Assert.Equal(new[] { "eng", "ger" }, info.AudioStreams.Select(a => a.Language));
        Assert.Equal(new[] { "aac", "opus" }, info.AudioStreams.Select(a => a.Codec));
        Assert.Equal(new[] { 0, 1 }, info.AudioStreams.Select(a => a.TypeIndex));
        Assert.Equal(new[] { 1, 2 }, info.AudioStreams.Select(a => a.Index));
        Assert.Equal(new[] { 44100, 48000 }, info.AudioStreams.Select(a => a.SampleRate!.Value));
    }

    [Fact]
    public async Task The_files_tags_are_read_whatever_their_case()
    {
        var info = await MediaProbe.ProbeAsync(Tools, await Media.Mp3AudioClipAsync());

        Assert.Equal("Episode 12: Tests", info.Tags["TITLE"]);
        Assert.Equal("NemoVideo", info.Tags["Artist"]);
        Assert.Equal("mp3", Assert.Single(info.AudioStreams).Codec);
    }

    [Fact]
    public async Task A_text_file_is_not_media()
    {
        var path = _env.PathIn("notes.mp4");
        File.WriteAllText(path, "Not a video at all, only words.\n");

        var ex = await Assert.ThrowsAsync<InputError>(() => MediaProbe.ProbeAsync(Tools, path));

        Assert.Equal(Problem.NotMedia, ex.Problem);
        Assert.Equal(Path.GetFullPath(path), ex.FilePath);
        Assert.Contains("'notes.mp4' is not a media file", ex.Message);
        Assert.Contains("ffprobe said:", ex.Message);
    }

    [Fact]
    public async Task What_ffprobe_said_is_quoted_without_its_demuxer_and_address_prefix()
    {
        // An MP4 whose index is at the end, cut before it: ffprobe says "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55…] moov atom not found".
        var clip = await Media.ClipAsync(".mp4", seconds: 2);
        var bytes = await File.ReadAllBytesAsync(clip);
        var path = _env.PathIn("cut.mp4");
        await File.WriteAllBytesAsync(path, bytes.AsSpan(0, bytes.Length / 2).ToArray());

        var ex = await Assert.ThrowsAsync<InputError>(() => MediaProbe.ProbeAsync(Tools, path));

        Assert.Contains("moov atom not found", ex.Message);
        Assert.DoesNotContain("@ 0x", ex.Message);
        Assert.DoesNotContain("[mov,", ex.Message);
        Assert.Equal("moov atom not found" + Environment.NewLine + "cut.mp4: Invalid data found",
            MediaProbe.LastLines("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x562b51a69180] moov atom not found\n[in#0 @ 0x1] cut.mp4: Invalid data found\n"));
    }

    [Fact]
    public async Task A_missing_file_and_an_empty_one_are_told_apart_before_ffprobe_runs()
    {
        var missing = await Assert.ThrowsAsync<InputError>(() => MediaProbe.ProbeAsync(Tools, _env.PathIn("gone.mkv")));
        Assert.Equal(Problem.Missing, missing.Problem);

        var empty = _env.PathIn("empty.mkv");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var ex = await Assert.ThrowsAsync<InputError>(() => MediaProbe.ProbeAsync(Tools, empty));
        Assert.Equal(Problem.Empty, ex.Problem);
        Assert.Contains("0 bytes", ex.Message);
    }

    [Fact]
    public async Task The_inspectors_facts_of_a_real_clip_give_the_same_tracks_ffprobe_reads()
    {
        var clip = await Media.TwoLanguageClipAsync();
        var probed = await MediaProbe.ProbeAsync(Tools, clip);

        var fromFacts = MediaProbe.FromFacts(clip, Inspector.Inspect(clip));

        Assert.NotNull(fromFacts);
        Assert.Equal(probed.AudioStreams.Select(a => (a.Codec, a.Language, a.TypeIndex, a.Channels, a.SampleRate)),
            fromFacts!.AudioStreams.Select(a => (a.Codec, a.Language, a.TypeIndex, a.Channels, a.SampleRate)));
        Assert.InRange(fromFacts.Duration!.Value.TotalSeconds, probed.Duration!.Value.TotalSeconds - 0.1, probed.Duration.Value.TotalSeconds + 0.1);
    }

    private static Facts Mp4(Action<List<Track>>? tracks = null, bool truncated = false, bool hasAudio = true, TimeSpan? duration = null, int? kbps = 128)
    {
        var list = new List<Track>
        {
            new() { Codec = "aac", Language = "eng", Title = "Main", Channels = 2, SampleRate = 48000 },
            new() { Codec = "opus", Language = "ger", Channels = 1, SampleRate = 48000 },
        };
        tracks?.Invoke(list);
        return new Facts
        {
            Container = Container.Mp4, HasVideo = true, VideoCodec = "h264", Width = 1280, Height = 720, HasAudio = hasAudio,
            AudioTracks = list, Duration = duration ?? TimeSpan.FromSeconds(61), AudioBitrateKbps = kbps, Truncated = truncated,
        };
    }

    [Fact]
    public void FromFacts_of_an_mp4_lists_the_video_then_every_audio_track()
    {
        var info = MediaProbe.FromFacts("/media/talk.mp4", Mp4())!;

        Assert.Equal(("/media/talk.mp4", "mp4", TimeSpan.FromSeconds(61)), (info.Path, info.FormatName, info.Duration!.Value));
        Assert.Equal(new[] { "video", "audio", "audio" }, info.Streams.Select(s => s.Type));
        Assert.Equal(new[] { 0, 1, 2 }, info.Streams.Select(s => s.Index));
        Assert.Equal(("h264", 1280, 720), (info.Video!.Codec, info.Video.Width!.Value, info.Video.Height!.Value));
        var (first, second) = (info.AudioStreams[0], info.AudioStreams[1]);
        Assert.Equal(("aac", "eng", "Main", 0, 2, 48000), (first.Codec, first.Language, first.Title, first.TypeIndex, first.Channels!.Value, first.SampleRate!.Value));
        Assert.Equal(("opus", "ger", 1), (second.Codec, second.Language, second.TypeIndex));
        Assert.Equal(128_000, first.BitRate); // the rate read is the first track's
        Assert.Null(second.BitRate);
    }

    [Fact]
    public void FromFacts_of_an_mp3_or_wave_is_its_one_track()
    {
        var facts = new Facts
        {
            Container = Container.Mp3, HasAudio = true, AudioCodec = "mp3", Channels = 2, SampleRate = 44100,
            Duration = TimeSpan.FromSeconds(10), AudioBitrateKbps = 192,
        };
        var info = MediaProbe.FromFacts("a.mp3", facts)!;
        var track = Assert.Single(info.Streams);
        Assert.Equal(("audio", "mp3", 0, 0, 2, 44100, 192_000L), (track.Type, track.Codec, track.Index, track.TypeIndex, track.Channels!.Value, track.SampleRate!.Value, track.BitRate!.Value));
        Assert.Null(info.Video);

        var wave = MediaProbe.FromFacts("a.wav", new Facts { Container = Container.Wave, HasAudio = true, AudioCodec = "pcm_s16le", Duration = TimeSpan.FromSeconds(1) })!;
        Assert.Equal(("wave", "pcm_s16le"), (wave.FormatName, Assert.Single(wave.AudioStreams).Codec));
    }

    [Fact]
    public void FromFacts_is_null_when_the_inspector_cannot_answer_all_of_it()
    {
        Assert.NotNull(MediaProbe.FromFacts("x.mp4", Mp4())); // the baseline every case below changes one thing of
        Assert.Null(MediaProbe.FromFacts("x.mp4", Mp4(truncated: true)));
        Assert.Null(MediaProbe.FromFacts("x.mp4", Mp4(hasAudio: false)));
        Assert.Null(MediaProbe.FromFacts("x.mp4", new Facts { Container = Container.Mp4, HasAudio = true, AudioTracks = Mp4().AudioTracks })); // no length
        Assert.Null(MediaProbe.FromFacts("x.mp4", Mp4(t => t.Clear())));
        Assert.Null(MediaProbe.FromFacts("x.mp4", Mp4(t => t.Add(new Track { Codec = "" }))));
        Assert.Null(MediaProbe.FromFacts("x.mp4", Mp4(t => t.Add(new Track { Codec = "audio" })))); // a codec not named
        Assert.Null(MediaProbe.FromFacts("x.bin", new Facts { Container = Container.Unknown, HasAudio = true, AudioCodec = "mp3", Duration = TimeSpan.FromSeconds(1) }));
    }
}
