using System.Globalization;
using System.Text.Json;
using NemoVideo.Media;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>
/// What the managed inspector reads of a Matroska or MP4 file's metadata (tags, chapters, cover, every audio track)
/// against what ffprobe reports of the same file, made by ffmpeg at test time.
/// </summary>
public class ContainerMetadataTests
{
    private const string FirstTitle = "Intro — Ünïcødé";

    /// <summary>A JPEG of 320x240, the cover every fixture carries.</summary>
    private static Task<string> CoverAsync() =>
        Media.MadeAsync("cover-320x240.jpg", path => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=1", "-frames:v", "1", path });

    /// <summary>Video, two audio tracks (eng stereo AAC, ger mono), three chapters, file tags and a cover.</summary>
    private static async Task<string> TaggedAsync(string extension)
    {
        var cover = await CoverAsync();
        return await Media.MadeAsync("tagged" + extension, path =>
        {
            var dir = Directory.CreateDirectory(path + ".inputs").FullName;
            var chapters = Path.Combine(dir, "chapters.txt");
            File.WriteAllText(chapters, ";FFMETADATA1\n" + string.Concat(new[] { FirstTitle, "Middle part", "Ende" }.Select((t, i) =>
                $"[CHAPTER]\nTIMEBASE=1/1000\nSTART={i * 1000}\nEND={(i + 1) * 1000}\ntitle={t}\n")));
            // Matroska names the attachment after the file: the specification's name for a front cover is cover.jpg.
            var attached = Path.Combine(dir, "cover.jpg");
            File.Copy(cover, attached, true);
            var args = new List<string>
            {
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=3",
                "-f", "lavfi", "-i", "sine=frequency=660:sample_rate=48000:duration=3",
                "-i", chapters,
            };
            if (extension == ".mp4") args.AddRange(new[] { "-i", cover });
            args.AddRange(new[] { "-map", "0:v", "-map", "1:a", "-map", "2:a", "-map_chapters", "3" });
            if (extension == ".mp4") args.AddRange(new[] { "-map", "4:v", "-c:v:1", "mjpeg", "-disposition:v:1", "attached_pic" });
            args.AddRange(new[]
            {
                "-c:v:0", "libx264", "-preset", "ultrafast", "-c:a:0", "aac", "-ac:a:0", "2", "-c:a:1", extension == ".mp4" ? "aac" : "libopus", "-ac:a:1", "1",
                "-metadata:s:a:0", "language=eng", "-metadata:s:a:1", "language=ger",
                "-metadata", "title=Episode 7 — Çava", "-metadata", "artist=NemoVideo", "-metadata", "date=2024-05-01", "-metadata", "comment=Recorded live",
            });
            if (extension == ".mkv") args.AddRange(new[] { "-attach", attached, "-metadata:s:t", "mimetype=image/jpeg" });
            args.Add(path);
            return args;
        });
    }

    private static async Task<JsonElement> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_streams", "-show_chapters", "-of", "json", path });
        Assert.True(code == 0, err);
        return JsonDocument.Parse(json).RootElement;
    }

    /// <summary>ffprobe's format.tags under our keys (lower case), without the ftyp brands ffprobe lists as tags.</summary>
    private static Dictionary<string, string> FormatTags(JsonElement probe) =>
        probe.GetProperty("format").TryGetProperty("tags", out var tags)
            ? tags.EnumerateObject().Where(p => p.Name is not ("major_brand" or "minor_version" or "compatible_brands"))
                .ToDictionary(p => p.Name.ToLowerInvariant(), p => p.Value.GetString()!)
            : new Dictionary<string, string>();

    private static List<JsonElement> Streams(JsonElement probe, string type) => probe.GetProperty("streams").EnumerateArray()
        .Where(s => s.GetProperty("codec_type").GetString() == type && s.GetProperty("disposition").GetProperty("attached_pic").GetInt32() == 0).ToList();

    private static string? Tag(JsonElement stream, string name) =>
        stream.TryGetProperty("tags", out var tags) && tags.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static double Seconds(JsonElement e, string name) => double.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    /// <summary>The audio tracks and video as ffprobe sees them, in order.</summary>
    private static void SameStreams(JsonElement probe, NemoVideo.Media.MediaFacts facts)
    {
        var audio = Streams(probe, "audio");
        Assert.Equal(audio.Count, facts.AudioTracks.Count);
        for (var i = 0; i < audio.Count; i++)
        {
            Assert.Equal(audio[i].GetProperty("codec_name").GetString(), facts.AudioTracks[i].Codec);
            Assert.Equal(Tag(audio[i], "language"), facts.AudioTracks[i].Language);
            Assert.Equal(audio[i].GetProperty("channels").GetInt32(), facts.AudioTracks[i].Channels);
            Assert.Equal(int.Parse(audio[i].GetProperty("sample_rate").GetString()!, CultureInfo.InvariantCulture), facts.AudioTracks[i].SampleRate);
        }
        Assert.Equal(audio.Count > 0, facts.HasAudio);
        Assert.Equal(facts.AudioTracks.FirstOrDefault()?.Codec, facts.AudioCodec);
        var video = Streams(probe, "video").First();
        Assert.True(facts.HasVideo);
        Assert.Equal(video.GetProperty("codec_name").GetString(), facts.VideoCodec);
        Assert.Equal(video.GetProperty("width").GetInt32(), facts.Width);
        Assert.Equal(video.GetProperty("height").GetInt32(), facts.Height);
    }

    [Theory]
    [InlineData(".mkv")]
    [InlineData(".mp4")]
    public async Task Tags_chapters_cover_and_every_audio_track_are_read_as_ffprobe_reads_them(string extension)
    {
        var path = await TaggedAsync(extension);
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);

        var tags = FormatTags(probe);
        Assert.Equal("Episode 7 — Çava", tags["title"]); // the fixture is what it should be, so the comparison below means something
        Assert.Equal(tags.OrderBy(t => t.Key), facts.Tags.OrderBy(t => t.Key));
        Assert.Equal(extension == ".mkv" ? "Matroska" : "MP4", facts.TagFormat);

        var chapters = probe.GetProperty("chapters").EnumerateArray().ToList();
        Assert.Equal(3, chapters.Count);
        Assert.Equal(chapters.Count, facts.Chapters.Count);
        for (var i = 0; i < chapters.Count; i++)
        {
            Assert.Equal(Seconds(chapters[i], "start_time"), facts.Chapters[i].Start.TotalSeconds, 0.001);
            Assert.Equal(Seconds(chapters[i], "end_time"), facts.Chapters[i].End!.Value.TotalSeconds, 0.001);
            Assert.Equal(chapters[i].GetProperty("tags").GetProperty("title").GetString(), facts.Chapters[i].Title);
        }
        Assert.Equal(FirstTitle, facts.Chapters[0].Title);

        Assert.NotNull(facts.Cover);
        Assert.Equal("image/jpeg", facts.Cover!.MimeType);
        if (extension == ".mkv") Assert.Equal(File.ReadAllBytes(await CoverAsync()), facts.Cover.Data);
        var picture = probe.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("disposition").GetProperty("attached_pic").GetInt32() == 1);
        Assert.Equal(picture.GetProperty("width").GetInt32(), facts.Cover.Width);
        Assert.Equal(picture.GetProperty("height").GetInt32(), facts.Cover.Height);

        SameStreams(probe, facts);
        Assert.Equal(new[] { "eng", "ger" }, facts.AudioTracks.Select(a => a.Language));
        Assert.Equal(new int?[] { 2, 1 }, facts.AudioTracks.Select(a => a.Channels));
        Assert.Equal(Seconds(probe.GetProperty("format"), "duration"), facts.Duration!.Value.TotalSeconds, 0.05);
        var video = Streams(probe, "video").First();
        Assert.Equal(extension == ".mp4" ? video.GetProperty("codec_tag_string").GetString() : null, facts.VideoCodecTag);
        Assert.False(facts.Truncated);
    }

    [Fact]
    public async Task Without_a_chapter_track_an_MP4s_Nero_chapters_are_read()
    {
        var bytes = File.ReadAllBytes(await TaggedAsync(".mp4"));
        // Renaming every tref/chap reference leaves the chpl list as the only chapters, for ffprobe as for us.
        var renamed = 0;
        for (var i = 0; i + 8 <= bytes.Length; i++)
            if (bytes[i] == 't' && bytes[i + 1] == 'r' && bytes[i + 2] == 'e' && bytes[i + 3] == 'f' && bytes[i + 8] == 'c' && bytes[i + 9] == 'h' && bytes[i + 10] == 'a' && bytes[i + 11] == 'p')
            { bytes[i + 8] = (byte)'x'; renamed++; }
        Assert.True(renamed > 0);
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName, $"chpl-only-{Guid.NewGuid():N}.mp4");
        File.WriteAllBytes(path, bytes);
        try
        {
            var facts = MediaInspector.Inspect(path);
            var chapters = (await ProbeAsync(path)).GetProperty("chapters").EnumerateArray().ToList();
            Assert.Equal(3, chapters.Count);
            Assert.Equal("1/10000000", chapters[0].GetProperty("time_base").GetString()); // chpl's unit: ffprobe read the list, not the track
            Assert.Equal(chapters.Select(c => c.GetProperty("tags").GetProperty("title").GetString()), facts.Chapters.Select(c => c.Title));
            Assert.Equal(chapters.Select(c => Math.Round(Seconds(c, "start_time"), 3)), facts.Chapters.Select(c => Math.Round(c.Start.TotalSeconds, 3)));
            Assert.All(facts.Chapters, c => Assert.Null(c.End)); // the list gives starts only
            Assert.Equal(2, facts.AudioTracks.Count);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task A_MOVs_QuickTime_strings_and_Macintosh_language_codes_are_read_as_ffprobe_reads_them()
    {
        var source = await TaggedAsync(".mp4");
        var path = await Media.MadeAsync("tagged.mov", p => new List<string> { "-i", source, "-map", "0:v:0", "-map", "0:a", "-c", "copy", "-f", "mov", p });
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);
        Assert.Equal("qt  ", facts.Brand);
        var tags = FormatTags(probe);
        Assert.Equal("Episode 7 — Çava", tags["title"]);
        Assert.Equal(tags.OrderBy(t => t.Key), facts.Tags.OrderBy(t => t.Key));
        SameStreams(probe, facts);
        Assert.Equal(new[] { "eng", "ger" }, facts.AudioTracks.Select(a => a.Language));
        Assert.Equal(probe.GetProperty("chapters").EnumerateArray().Select(c => c.GetProperty("tags").GetProperty("title").GetString()), facts.Chapters.Select(c => c.Title));
    }

    [Theory]
    [InlineData("988101ec8100", 2)] // ChapterFlagHidden 1, then a Void: dropped, though ffprobe 5.1 keeps it
    [InlineData("45988100ec80", 2)] // ChapterFlagEnabled 0: dropped likewise
    [InlineData("ec8400000000", 3)] // only a Void: kept, so the two above are dropped for their flag
    public async Task Hidden_and_disabled_Matroska_chapters_are_left_out(string replacement, int expected)
    {
        var bytes = File.ReadAllBytes(await TaggedAsync(".mkv"));
        // The second chapter's ChapterTimeEnd (2 s, in 6 bytes) becomes the flag: the file keeps its length and layout.
        var end = MatroskaBytes.IndexOf(bytes, Convert.FromHexString("928477359400"), 0);
        Convert.FromHexString(replacement).CopyTo(bytes, end);
        var facts = MediaInspector.Inspect(new MemoryStream(bytes), bytes.Length);
        Assert.Equal(expected, facts.Chapters.Count);
        Assert.Equal(expected == 3 ? new[] { FirstTitle, "Middle part", "Ende" } : new[] { FirstTitle, "Ende" }, facts.Chapters.Select(c => c.Title));
    }

    [Fact]
    public async Task A_Matroska_chapter_starting_before_the_one_before_it_is_dropped_as_ffprobe_drops_it()
    {
        var bytes = File.ReadAllBytes(await TaggedAsync(".mkv"));
        var third = MatroskaBytes.IndexOf(bytes, Convert.FromHexString("73c48103"), 0); // ChapterUID 3
        var start = MatroskaBytes.IndexOf(bytes, Convert.FromHexString("918477359400"), third); // its ChapterTimeStart, 2 s
        Convert.FromHexString("91841dcd6500").CopyTo(bytes, start); // 0.5 s
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName, $"chapter-order-{Guid.NewGuid():N}.mkv");
        File.WriteAllBytes(path, bytes);
        try
        {
            var chapters = (await ProbeAsync(path)).GetProperty("chapters").EnumerateArray().ToList();
            Assert.Equal(2, chapters.Count);
            Assert.Equal(chapters.Select(c => c.GetProperty("tags").GetProperty("title").GetString()), MediaInspector.Inspect(path).Chapters.Select(c => c.Title));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Per_stream_tags_of_plain_ffmpeg_output_stay_out_of_the_file_tags()
    {
        var path = await Media.ClipAsync(".mkv", seconds: 2);
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);
        // ffmpeg tags every stream with DURATION and ENCODER, and the file with ENCODER only.
        Assert.NotNull(Tag(Streams(probe, "video")[0], "DURATION"));
        Assert.Equal(FormatTags(probe).OrderBy(t => t.Key), facts.Tags.OrderBy(t => t.Key));
        Assert.False(facts.Tags.ContainsKey("duration"));
        Assert.StartsWith("Lavf", facts.Tags["encoder"]);
        Assert.Empty(facts.Chapters);
        Assert.Null(facts.Cover);
        // Absent language: ffmpeg writes "und", which ffprobe does not report.
        Assert.Null(facts.AudioTracks.Single().Language);
        SameStreams(probe, facts);
    }

    [Fact]
    public async Task A_Matroska_written_through_a_pipe_of_unknown_size_still_yields_its_tracks()
    {
        var piped = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName, "piped-fre.mkv");
        if (!File.Exists(piped))
        {
            var (code, _, err) = await Media.RunAsync("bash", new[] { "-c",
                "ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc2=size=320x240:rate=15:duration=2 -f lavfi -i sine=duration=2 "
                + "-c:v libx264 -preset ultrafast -c:a libopus -metadata:s:a:0 language=fre -f matroska pipe:1 > '" + piped + ".$$.tmp' && mv '" + piped + ".$$.tmp' '" + piped + "'" });
            Assert.True(code == 0, err);
        }
        var bytes = File.ReadAllBytes(piped);
        // The Segment's size is all ones: unknown, as a pipe leaves it.
        var segment = MatroskaBytes.IndexOf(bytes, new byte[] { 0x18, 0x53, 0x80, 0x67 }, 0);
        Assert.Equal(0x01, bytes[segment + 4]);
        Assert.All(bytes.Skip(segment + 5).Take(7), b => Assert.Equal(0xFF, b));

        var facts = MediaInspector.Inspect(piped);
        SameStreams(await ProbeAsync(piped), facts);
        Assert.Equal("fre", facts.AudioTracks[0].Language);

        // A live recording also leaves its clusters of unknown size: the walk stops there, with the tracks already read.
        var cluster = MatroskaBytes.IndexOf(bytes, new byte[] { 0x1F, 0x43, 0xB6, 0x75 }, segment);
        var sizeLength = 1;
        while ((bytes[cluster + 4] & (0x80 >> (sizeLength - 1))) == 0) sizeLength++;
        bytes[cluster + 4] = (byte)(0xFF >> (sizeLength - 1));
        for (var i = 1; i < sizeLength; i++) bytes[cluster + 4 + i] = 0xFF;
        var live = MediaInspector.Inspect(new MemoryStream(bytes), bytes.Length);
        Assert.Equal(new[] { "opus" }, live.AudioTracks.Select(a => a.Codec));
        Assert.Equal("h264", live.VideoCodec);
        Assert.False(live.Truncated);
    }

    [Fact]
    public async Task A_WebM_is_read_as_ffprobe_reads_it()
    {
        var path = await Media.ClipAsync(".webm", seconds: 2, audioTracks: 2);
        var facts = MediaInspector.Inspect(path);
        var probe = await ProbeAsync(path);
        Assert.Equal("webm", facts.Brand);
        Assert.Equal("vp9", facts.VideoCodec);
        SameStreams(probe, facts);
        Assert.Equal(2, facts.AudioTracks.Count);
        Assert.Equal(Seconds(probe.GetProperty("format"), "duration"), facts.Duration!.Value.TotalSeconds, 0.05);
    }

    [Theory]
    [InlineData("hvc1")]
    [InlineData("hev1")]
    public async Task An_HEVC_MP4s_sample_entry_code_is_read_as_written(string tag)
    {
        var path = await Media.MadeAsync($"hevc-{tag}.mp4", p =>
        {
            var args = new List<string> { "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=1", "-c:v", "libx265", "-preset", "ultrafast", "-x265-params", "log-level=error" };
            if (tag == "hvc1") args.AddRange(new[] { "-tag:v", "hvc1" }); // without it ffmpeg writes hev1
            args.Add(p);
            return args;
        });
        var facts = MediaInspector.Inspect(path);
        var video = Streams(await ProbeAsync(path), "video").Single();
        Assert.Equal(tag, video.GetProperty("codec_tag_string").GetString());
        Assert.Equal(tag, facts.VideoCodecTag);
        Assert.Equal("hevc", facts.VideoCodec);
        Assert.Empty(facts.AudioTracks);
    }

    [Fact]
    public async Task A_Matroska_cut_in_half_still_tells_its_tracks()
    {
        var whole = await TaggedAsync(".mkv");
        var bytes = File.ReadAllBytes(whole);
        var half = bytes.Take(bytes.Length / 2).ToArray();
        var facts = MediaInspector.Inspect(new MemoryStream(half), half.Length);
        Assert.Equal(MediaContainer.Matroska, facts.Container);
        Assert.Equal(new[] { "aac", "opus" }, facts.AudioTracks.Select(a => a.Codec));
        Assert.Equal("h264", facts.VideoCodec);

        // Cut inside the track list, the file is clearly cut short, and still does not throw.
        var tracksId = new byte[] { 0x16, 0x54, 0xAE, 0x6B };
        var tracks = MatroskaBytes.IndexOf(bytes, tracksId, MatroskaBytes.IndexOf(bytes, tracksId, 0) + 4); // the first is the SeekHead's pointer to it
        var stub = bytes.Take(tracks + 40).ToArray();
        var cut = MediaInspector.Inspect(new MemoryStream(stub), stub.Length);
        Assert.True(cut.Truncated);
        for (var n = 1; n < 400; n += 7) MediaInspector.Inspect(new MemoryStream(bytes, 0, n), n); // any cut, none throws
    }

    [Theory]
    [InlineData(".mkv")]
    [InlineData(".mp4")]
    public async Task Damaged_metadata_is_described_never_thrown(string extension)
    {
        var whole = File.ReadAllBytes(await TaggedAsync(extension));
        // The metadata sits in the first 12 KB of the Matroska and after the media data of the MP4.
        var (from, to) = extension == ".mkv" ? (40, 12_000) : (whole.Length - 16_000, whole.Length);
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])whole.Clone();
            for (var k = 0; k < 8; k++) bytes[random.Next(from, to)] = (byte)random.Next(256);
            var facts = MediaInspector.Inspect(new MemoryStream(bytes), bytes.Length);
            Assert.NotEqual(MediaContainer.Unknown, facts.Container);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Tags_after_the_clusters_are_found_through_the_SeekHead(bool throughSecondSeekHead)
    {
        var original = File.ReadAllBytes(await TaggedAsync(".mkv"));
        var moved = MatroskaBytes.MoveTagsToTheEnd(original, throughSecondSeekHead);
        var path = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName, $"tags-at-end-{throughSecondSeekHead}-{Guid.NewGuid():N}.mkv");
        File.WriteAllBytes(path, moved);
        try
        {
            var facts = MediaInspector.Inspect(path);
            var tags = FormatTags(await ProbeAsync(path));
            Assert.Equal("NemoVideo", tags["artist"]); // ffprobe finds them where they went: the file is sound
            Assert.Equal(tags.OrderBy(t => t.Key), facts.Tags.OrderBy(t => t.Key));
            Assert.Equal(3, facts.Chapters.Count);
            Assert.Equal(2, facts.AudioTracks.Count);
        }
        finally { File.Delete(path); }
    }

}
