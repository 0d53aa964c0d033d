using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.MediaFacts;

/// <summary>The ID3v2 reader and writer against ffprobe, on MP3s and covers made by ffmpeg at test time.</summary>
public class Id3v2Tests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-id3-" + Guid.NewGuid().ToString("N")[..8])).FullName;
    public void Dispose() { try { Directory.Delete(_dir, true); } catch (IOException) { } }

    /// <summary>An MP3 without any tag (ffmpeg writes a 2.4 tag unless told not to).</summary>
    private static Task<string> TaglessAsync(double seconds = 8) => Media.MadeAsync($"id3-tagless-{seconds}.mp3", p => new List<string>
    {
        "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={seconds.ToString(CultureInfo.InvariantCulture)}",
        "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "0", "-write_id3v1", "0", "-map_metadata", "-1", p,
    });

    private static Task<string> JpegAsync() => Media.MadeAsync("id3-cover-300.jpg", p => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=300x300", "-frames:v", "1", p });

    private static Task<string> PngAsync() => Media.MadeAsync("id3-cover-300.png", p => new List<string> { "-f", "lavfi", "-i", "testsrc2=size=300x300", "-frames:v", "1", p });

    /// <summary>An MP3 with ffmpeg's own tag of the given version: -metadata tags, three chapters from an ffmetadata file, a PNG cover.</summary>
    private async Task<string> FfmpegTaggedAsync(int version, bool cover = true)
    {
        var meta = Path.Combine(_dir, "chapters.txt");
        File.WriteAllText(meta, ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=2000\ntitle=Opening\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=2000\nEND=4500\ntitle=The middle part\n"
            + "[CHAPTER]\nTIMEBASE=1/1000\nSTART=4500\nEND=6000\ntitle=Credits\n");
        var png = await PngAsync();
        return await Media.MadeAsync($"id3-ffmpeg-v{version}{(cover ? "-cover" : "")}.mp3", p =>
        {
            var args = new List<string> { "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100:duration=6", "-i", meta };
            if (cover) args.AddRange(new[] { "-i", png, "-map", "2:v", "-c:v", "png", "-disposition:v", "attached_pic" });
            args.AddRange(new[]
            {
                "-map", "0:a", "-map_metadata", "1", "-map_chapters", "1", "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", version.ToString(CultureInfo.InvariantCulture),
                "-metadata", "title=Episode 7: Tags", "-metadata", "artist=NemoVideo Artist", "-metadata", "album=Season 1", "-metadata", "date=2024",
                "-metadata", "genre=Podcast", "-metadata", "comment=Made by ffmpeg", "-metadata", "track=7", "-metadata", "composer=Someone", p,
            });
            return args;
        });
    }

    private static async Task<JsonElement> ProbeAsync(string path)
    {
        var (code, json, err) = await Media.RunAsync("ffprobe", new[] { "-v", "error", "-show_format", "-show_chapters", "-show_streams", "-of", "json", path });
        Assert.True(code == 0, err);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static Dictionary<string, string> FormatTags(JsonElement probe) =>
        probe.GetProperty("format").TryGetProperty("tags", out var tags)
            ? tags.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!)
            : new Dictionary<string, string>();

    private static List<(double Start, double End, string? Title)> Chapters(JsonElement probe) =>
        probe.GetProperty("chapters").EnumerateArray().Select(c => (Seconds(c, "start_time"), Seconds(c, "end_time"),
            c.TryGetProperty("tags", out var t) && t.TryGetProperty("title", out var title) ? title.GetString() : null)).ToList();

    private static double Seconds(JsonElement e, string name) => double.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static JsonElement? AttachedPicture(JsonElement probe) => probe.GetProperty("streams").EnumerateArray()
        .Where(s => s.TryGetProperty("disposition", out var d) && d.GetProperty("attached_pic").GetInt32() == 1).Cast<JsonElement?>().FirstOrDefault();

    private static int TagLength(byte[] file) => file.Length >= 10 && file[0] == 'I' && file[1] == 'D' && file[2] == '3'
        ? 10 + ((file[6] & 0x7F) << 21 | (file[7] & 0x7F) << 14 | (file[8] & 0x7F) << 7 | (file[9] & 0x7F)) : 0;

    /// <summary>The hash of every byte after the head's ID3v2 tag.</summary>
    private static string AfterTag(string path)
    {
        var b = File.ReadAllBytes(path);
        var n = TagLength(b);
        return Convert.ToHexString(SHA256.HashData(b.AsSpan(n)));
    }

    private string Written(string source, Id3Changes changes, string name)
    {
        var path = Path.Combine(_dir, name);
        using (var input = File.OpenRead(source))
        using (var output = File.Create(path))
            Id3v2Writer.Write(input, output, changes);
        return path;
    }

    /// <summary>Ours against ffprobe's: the same tags, the same chapters to the millisecond.</summary>
    private static void SameAsFfprobe(NemoVideo.Media.MediaFacts facts, JsonElement probe)
    {
        var expected = FormatTags(probe);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), facts.Tags.OrderBy(p => p.Key, StringComparer.Ordinal));
        var chapters = Chapters(probe);
        Assert.Equal(chapters.Count, facts.Chapters.Count);
        for (var i = 0; i < chapters.Count; i++)
        {
            Assert.Equal(chapters[i].Start, facts.Chapters[i].Start.TotalSeconds, 3);
            Assert.Equal(chapters[i].End, facts.Chapters[i].End!.Value.TotalSeconds, 3);
            Assert.Equal(chapters[i].Title, facts.Chapters[i].Title);
        }
    }

    [Fact]
    public async Task Tags_chapters_and_a_JPEG_cover_written_onto_a_tagless_MP3_are_read_by_ffprobe_and_by_the_inspector()
    {
        var source = await TaglessAsync();
        var jpeg = File.ReadAllBytes(await JpegAsync());
        var changes = new Id3Changes
        {
            Chapters = new[]
            {
                new MediaChapter(TimeSpan.Zero, null, "Intro"),
                new MediaChapter(TimeSpan.FromMilliseconds(2500), null, "Interview"),
                new MediaChapter(TimeSpan.FromMilliseconds(5250), null, "Outro"),
            },
            Cover = new CoverPicture("image/jpeg", jpeg),
        };
        foreach (var (k, v) in new[] { ("title", "Episode 12: Tests"), ("artist", "NemoVideo"), ("album", "The Podcast"), ("album_artist", "Nemo Team"),
            ("date", "2024-03-15"), ("genre", "Podcast"), ("comment", "Show notes here"), ("track", "12"), ("composer", "A. Composer"),
            ("publisher", "Nemo Media"), ("copyright", "2024 Nemo"), ("encoder", "NemoVideo 1.0"), ("podcast_id", "ep-12") })
            changes.Tags[k] = v;

        var path = Written(source, changes, "tagged.mp3");
        var probe = await ProbeAsync(path);
        var bytes = File.ReadAllBytes(path);

        Assert.Equal(new byte[] { (byte)'I', (byte)'D', (byte)'3', 3, 0 }, bytes.Take(5).ToArray());
        var tags = FormatTags(probe);
        Assert.Equal("Episode 12: Tests", tags["title"]);
        Assert.Equal("NemoVideo", tags["artist"]);
        Assert.Equal("The Podcast", tags["album"]);
        Assert.Equal("Nemo Team", tags["album_artist"]);
        Assert.Equal("2024-03-15", tags["date"]);
        Assert.Equal("Podcast", tags["genre"]);
        Assert.Equal("Show notes here", tags["comment"]);
        Assert.Equal("12", tags["track"]);
        Assert.Equal("A. Composer", tags["composer"]);
        Assert.Equal("Nemo Media", tags["publisher"]);
        Assert.Equal("2024 Nemo", tags["copyright"]);
        Assert.Equal("NemoVideo 1.0", tags["encoder"]);
        Assert.Equal("ep-12", tags["podcast_id"]);

        var before = MediaInspector.Inspect(source);
        var chapters = Chapters(probe);
        Assert.Equal(new[] { "Intro", "Interview", "Outro" }, chapters.Select(c => c.Title));
        Assert.Equal(new[] { 0, 2.5, 5.25 }, chapters.Select(c => c.Start));
        Assert.Equal(2.5, chapters[0].End, 3);
        Assert.Equal(5.25, chapters[1].End, 3);
        Assert.Equal(before.Duration!.Value.TotalSeconds, chapters[2].End, 3); // the last ends with the audio

        var pic = AttachedPicture(probe);
        Assert.NotNull(pic);
        Assert.Equal("mjpeg", pic!.Value.GetProperty("codec_name").GetString());
        Assert.Equal(300, pic.Value.GetProperty("width").GetInt32());
        Assert.Equal(300, pic.Value.GetProperty("height").GetInt32());

        var facts = MediaInspector.Inspect(path);
        SameAsFfprobe(facts, probe);
        Assert.Equal("ID3v2.3", facts.TagFormat);
        Assert.Equal("image/jpeg", facts.Cover!.MimeType);
        Assert.Equal(jpeg, facts.Cover.Data);
        Assert.Equal(300, facts.Cover.Width);
        Assert.Equal((before.AudioBitrateKbps, before.SampleRate, before.Channels, before.Duration, before.IsVbr, before.Truncated),
            (facts.AudioBitrateKbps, facts.SampleRate, facts.Channels, facts.Duration, facts.IsVbr, facts.Truncated));
        Assert.Null(before.TagFormat);
        Assert.Empty(before.Tags);

        Assert.Equal(AfterTag(source), AfterTag(path)); // the audio, byte for byte
        Assert.Equal(new FileInfo(source).Length, bytes.Length - TagLength(bytes));
        Assert.InRange(TagLength(bytes) - 10 - jpeg.Length, 1000, 6000); // the frames and about 2 KiB of padding
    }

    [Fact]
    public async Task Changing_one_tag_of_ffmpegs_24_tag_keeps_the_rest_and_a_null_removes_one()
    {
        var source = await FfmpegTaggedAsync(4, cover: false);
        Assert.Equal(4, File.ReadAllBytes(source)[3]);
        var before = await ProbeAsync(source);
        var beforeTags = FormatTags(before);
        Assert.Contains("encoder", beforeTags.Keys); // ffmpeg's own TSSE
        Assert.Equal(3, Chapters(before).Count);

        var changes = new Id3Changes();
        changes.Tags["ALBUM"] = "Season 2";
        var path = Written(source, changes, "merged.mp3");
        var after = await ProbeAsync(path);
        var afterTags = FormatTags(after);
        Assert.Equal(3, File.ReadAllBytes(path)[3]);
        Assert.Equal("Season 2", afterTags["album"]);
        foreach (var key in beforeTags.Keys.Where(k => k != "album")) Assert.Equal(beforeTags[key], afterTags[key]);
        Assert.Equal(beforeTags.Count, afterTags.Count);
        Assert.Equal(Chapters(before), Chapters(after));
        SameAsFfprobe(MediaInspector.Inspect(path), after);
        Assert.Equal(AfterTag(source), AfterTag(path));

        var removal = new Id3Changes();
        removal.Tags["artist"] = null;
        removal.Tags["comment"] = "";
        var removed = Written(path, removal, "removed.mp3");
        var last = FormatTags(await ProbeAsync(removed));
        Assert.False(last.ContainsKey("artist"));
        Assert.False(last.ContainsKey("comment"));
        Assert.Equal("Episode 7: Tags", last["title"]);
        Assert.Equal(beforeTags["encoder"], last["encoder"]);
    }

    [Fact]
    public async Task Text_beyond_Latin_1_round_trips_through_ffprobe_as_UTF_16()
    {
        var source = await TaglessAsync(4);
        var changes = new Id3Changes { Chapters = new[] { new MediaChapter(TimeSpan.Zero, null, "第一章 — Ünïcødé") } };
        changes.Tags["title"] = "Ünïcødé — 日本語";
        changes.Tags["artist"] = "Ünïcødé"; // fits ISO-8859-1
        changes.Tags["Beschreibung"] = "Größe — 大きさ";
        var path = Written(source, changes, "unicode.mp3");
        var probe = await ProbeAsync(path);
        var tags = FormatTags(probe);
        Assert.Equal("Ünïcødé — 日本語", tags["title"]);
        Assert.Equal("Ünïcødé", tags["artist"]);
        Assert.Equal("Größe — 大きさ", tags["Beschreibung"]);
        Assert.Equal("第一章 — Ünïcødé", Chapters(probe).Single().Title);
        SameAsFfprobe(MediaInspector.Inspect(path), probe);
        var bytes = File.ReadAllBytes(path);
        var tit2 = IndexOf(bytes, "TIT2");
        Assert.Equal(1, bytes[tit2 + 10]); // UTF-16 with BOM
        Assert.Equal(0, bytes[IndexOf(bytes, "TPE1") + 10]); // ISO-8859-1
    }

    private static int IndexOf(byte[] b, string ascii)
    {
        var pattern = Encoding.ASCII.GetBytes(ascii);
        return b.AsSpan().IndexOf(pattern);
    }

    [Fact]
    public async Task An_ID3v1_and_an_APEv2_trailer_are_kept_byte_for_byte()
    {
        var tagless = File.ReadAllBytes(await TaglessAsync(4));
        var trailer = Mp3Trailers.ApeTag("Artist", "APE artist").Concat(Id3v1("ID3v1 title")).ToArray();
        var source = Path.Combine(_dir, "trailers.mp3");
        File.WriteAllBytes(source, tagless.Concat(trailer).ToArray());

        var changes = new Id3Changes();
        changes.Tags["title"] = "ID3v2 title";
        var path = Written(source, changes, "trailers-tagged.mp3");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(trailer, bytes[^trailer.Length..]);
        Assert.Equal(AfterTag(source), AfterTag(path));
        var probe = await ProbeAsync(path);
        Assert.Equal("ID3v2 title", FormatTags(probe)["title"]);
        Assert.Equal(MediaInspector.Inspect(source).Duration, MediaInspector.Inspect(path).Duration);
        Assert.Equal(Seconds(probe.GetProperty("format"), "duration"), MediaInspector.Inspect(path).Duration!.Value.TotalSeconds, 1);
    }

    private static byte[] Id3v1(string title)
    {
        var b = new byte[128];
        Encoding.ASCII.GetBytes("TAG").CopyTo(b, 0);
        Encoding.ASCII.GetBytes(title).CopyTo(b, 3);
        Encoding.ASCII.GetBytes("ID3v1 artist").CopyTo(b, 33);
        b[127] = 255;
        return b;
    }


    [Fact]
    public async Task A_file_with_room_is_changed_in_place_and_one_without_is_left_alone()
    {
        var first = new Id3Changes();
        first.Tags["title"] = "Before";
        var path = Written(await TaglessAsync(4), first, "inplace.mp3");
        var length = new FileInfo(path).Length;
        var audio = AfterTag(path);

        var second = new Id3Changes();
        second.Tags["title"] = "After, a longer title than before";
        second.Tags["artist"] = "Someone";
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            Assert.True(Id3v2Writer.TryWriteInPlace(file, second));
        Assert.Equal(length, new FileInfo(path).Length);
        Assert.Equal(audio, AfterTag(path));
        var tags = FormatTags(await ProbeAsync(path));
        Assert.Equal("After, a longer title than before", tags["title"]);
        Assert.Equal("Someone", tags["artist"]);

        // A 300x300 PNG is far more than the padding left.
        var tooBig = new Id3Changes { Cover = new CoverPicture("image/png", File.ReadAllBytes(await PngAsync())) };
        var whole = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            Assert.False(Id3v2Writer.TryWriteInPlace(file, tooBig));
        Assert.Equal(whole, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))));

        var tagless = Path.Combine(_dir, "tagless-copy.mp3");
        File.Copy(await TaglessAsync(4), tagless);
        using (var file = new FileStream(tagless, FileMode.Open, FileAccess.ReadWrite))
            Assert.False(Id3v2Writer.TryWriteInPlace(file, second));
        Assert.Equal(File.ReadAllBytes(await TaglessAsync(4)), File.ReadAllBytes(tagless));
    }

    [Fact]
    public async Task Unsynchronised_tags_are_read_as_ffprobe_reads_them()
    {
        var audio = File.ReadAllBytes(await TaglessAsync(4));
        var jpeg = File.ReadAllBytes(await JpegAsync());
        // ÿ then à: 0xFF 0xE0, a false frame sync that unsynchronisation must break; a JPEG has many.
        const string title = "Unsync ÿà ÿÿ test ÿ";
        var titleFrame = new byte[] { 0 }.Concat(Encoding.Latin1.GetBytes(title)).ToArray();
        var apic = new byte[] { 0 }.Concat(Encoding.Latin1.GetBytes("image/jpeg\0")).Concat(new byte[] { 3, 0 }).Concat(jpeg).ToArray();

        // 2.4: each frame unsynchronised with a data length indicator (the header flag clear): ffprobe and we agree on every frame.
        var frames24 = Frame24("TIT2", titleFrame, true).Concat(Frame24("TPE1", new byte[] { 3 }.Concat(Encoding.UTF8.GetBytes("Artist ÿ 日本")).ToArray(), false))
            .Concat(Frame24("APIC", apic, true)).Concat(new byte[64]).ToArray();
        var v24 = Path.Combine(_dir, "unsync24.mp3");
        File.WriteAllBytes(v24, Header(4, 0, frames24.Length).Concat(frames24).Concat(audio).ToArray());
        var probe24 = await ProbeAsync(v24);
        var facts24 = MediaInspector.Inspect(v24);
        Assert.Equal(title, FormatTags(probe24)["title"]);
        Assert.Equal("Artist ÿ 日本", FormatTags(probe24)["artist"]);
        SameAsFfprobe(facts24, probe24);
        Assert.Equal("ID3v2.4", facts24.TagFormat);
        Assert.Equal(jpeg, facts24.Cover!.Data);
        Assert.Equal(300, AttachedPicture(probe24)!.Value.GetProperty("width").GetInt32());

        // 2.3: the whole tag unsynchronised (header flag), frame sizes those of the resynchronised frames (ID3v2.3 §3.3, §5).
        var frames23 = Frame23("TPE1", new byte[] { 0 }.Concat(Encoding.Latin1.GetBytes("Artist ÿ")).ToArray())
            .Concat(Frame23("TIT2", titleFrame)).Concat(Frame23("APIC", apic)).ToArray();
        var body23 = Unsync(frames23).Concat(new byte[64]).ToArray();
        Assert.NotEqual(frames23.Length + 64, body23.Length);
        var v23 = Path.Combine(_dir, "unsync23.mp3");
        File.WriteAllBytes(v23, Header(3, 0x80, body23.Length).Concat(body23).Concat(audio).ToArray());
        var probe23 = await ProbeAsync(v23);
        var facts23 = MediaInspector.Inspect(v23);
        Assert.Equal("ID3v2.3", facts23.TagFormat);
        Assert.Equal(title, facts23.Tags["title"]);
        Assert.Equal(jpeg, facts23.Cover!.Data);
        // A frame without stuffed bytes ffprobe reads as we do; in one with them FFmpeg 5.1 takes the frame size as the
        // unsynchronised size and loses the frame's last bytes: the reason our writer leaves unsynchronisation off.
        Assert.Equal(FormatTags(probe23)["artist"], facts23.Tags["artist"]);
        Assert.Equal(title[..^2], FormatTags(probe23)["title"]);

        // Our writer's own unsynchronisation: flagged, larger, and read back the same by ffprobe and by us.
        var changes = new Id3Changes { Unsynchronise = true, Cover = new CoverPicture("image/jpeg", jpeg) };
        changes.Tags["title"] = "Unsynchronised ÿ title";
        var written = Written(await TaglessAsync(4), changes, "unsync-written.mp3");
        var bytes = File.ReadAllBytes(written);
        Assert.Equal(0x80, bytes[5]);
        Assert.Equal(-1, FalseSync(bytes[10..TagLength(bytes)]));
        var writtenProbe = await ProbeAsync(written);
        Assert.Equal("Unsynchronised ÿ title", FormatTags(writtenProbe)["title"]);
        Assert.Equal(300, AttachedPicture(writtenProbe)!.Value.GetProperty("width").GetInt32());
        var writtenFacts = MediaInspector.Inspect(written);
        SameAsFfprobe(writtenFacts, writtenProbe);
        Assert.Equal(jpeg, writtenFacts.Cover!.Data);
        Assert.Equal(AfterTag(await TaglessAsync(4)), AfterTag(written));
    }

    /// <summary>Where the first 0xFF followed by 0xE0 or more is; -1 when there is none.</summary>
    private static int FalseSync(byte[] b)
    {
        for (var i = 0; i + 1 < b.Length; i++) if (b[i] == 0xFF && b[i + 1] >= 0xE0) return i;
        return -1;
    }

    private static byte[] Header(int major, byte flags, int size) => new byte[]
    {
        (byte)'I', (byte)'D', (byte)'3', (byte)major, 0, flags,
        (byte)(size >> 21 & 0x7F), (byte)(size >> 14 & 0x7F), (byte)(size >> 7 & 0x7F), (byte)(size & 0x7F),
    };

    private static byte[] Frame23(string id, byte[] data) =>
        Encoding.ASCII.GetBytes(id).Concat(new[] { (byte)(data.Length >> 24), (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length, (byte)0, (byte)0 }).Concat(data).ToArray();

    private static byte[] Frame24(string id, byte[] data, bool unsync)
    {
        var content = unsync ? Synchsafe(data.Length).Concat(Unsync(data)).ToArray() : data;
        return Encoding.ASCII.GetBytes(id).Concat(Synchsafe(content.Length)).Concat(new byte[] { 0, (byte)(unsync ? 0x03 : 0) }).Concat(content).ToArray();
    }

    private static byte[] Synchsafe(int n) => new[] { (byte)(n >> 21 & 0x7F), (byte)(n >> 14 & 0x7F), (byte)(n >> 7 & 0x7F), (byte)(n & 0x7F) };

    private static byte[] Unsync(byte[] b)
    {
        var r = new List<byte>();
        for (var i = 0; i < b.Length; i++)
        {
            r.Add(b[i]);
            if (b[i] == 0xFF && (i + 1 == b.Length || b[i + 1] >= 0xE0 || b[i + 1] == 0)) r.Add(0);
        }
        return r.ToArray();
    }

    [Fact]
    public async Task A_file_cut_short_or_not_an_MP3_is_refused_with_a_plain_message()
    {
        var changes = new Id3Changes();
        changes.Tags["title"] = "x";
        var withCover = new Id3Changes { Cover = new CoverPicture("image/jpeg", File.ReadAllBytes(await JpegAsync())) };
        var tagged = File.ReadAllBytes(Written(await TaglessAsync(4), withCover, "cut-source.mp3"));

        var cutInTag = Path.Combine(_dir, "cut-in-tag.mp3");
        File.WriteAllBytes(cutInTag, tagged[..(TagLength(tagged) / 2)]);
        var tagError = Assert.Throws<InvalidDataException>(() => Written(cutInTag, changes, "never1.mp3"));
        Assert.Contains("cut short", tagError.Message);
        Assert.Contains("ID3v2 tag", tagError.Message);

        var audio = File.ReadAllBytes(await TaglessAsync(4));
        var cutInAudio = Path.Combine(_dir, "cut-in-audio.mp3");
        File.WriteAllBytes(cutInAudio, audio[..(audio.Length - 100)]);
        var audioError = Assert.Throws<InvalidDataException>(() => Written(cutInAudio, changes, "never2.mp3"));
        Assert.Contains("cut short", audioError.Message);
        using (var file = new FileStream(cutInAudio, FileMode.Open, FileAccess.ReadWrite))
            Assert.Throws<InvalidDataException>(() => Id3v2Writer.TryWriteInPlace(file, changes));

        var text = Path.Combine(_dir, "notes.mp3");
        File.WriteAllText(text, "These are show notes, not audio.\n");
        var textError = Assert.Throws<InvalidDataException>(() => Written(text, changes, "never3.mp3"));
        Assert.Contains("not an MP3", textError.Message);
        Assert.Contains("text file", textError.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public async Task An_ffmpeg_made_tag_is_read_as_ffprobe_reads_it(int version)
    {
        var path = await FfmpegTaggedAsync(version);
        var probe = await ProbeAsync(path);
        var facts = MediaInspector.Inspect(path);
        Assert.Equal("ID3v2." + version, facts.TagFormat);
        Assert.Equal(3, facts.Chapters.Count);
        Assert.Equal("The middle part", facts.Chapters[1].Title);
        Assert.Equal("Episode 7: Tags", facts.Tags["title"]);
        SameAsFfprobe(facts, probe);
        Assert.Equal("image/png", facts.Cover!.MimeType);
        Assert.Equal(File.ReadAllBytes(await PngAsync()), facts.Cover.Data);
        Assert.Equal(AttachedPicture(probe)!.Value.GetProperty("width").GetInt32(), facts.Cover.Width);

        // Written again as 2.3 (2.4's TDRC and chapters converted): ffprobe sees the same tags and chapters.
        var rewritten = Written(path, new Id3Changes(), $"rewritten-{version}.mp3");
        var again = await ProbeAsync(rewritten);
        Assert.Equal(FormatTags(probe), FormatTags(again));
        Assert.Equal(Chapters(probe), Chapters(again));
        Assert.Equal(AfterTag(path), AfterTag(rewritten));

        // A new cover replaces ffmpeg's PNG (one picture left); RemoveCover leaves none; the tags stay.
        var jpeg = File.ReadAllBytes(await JpegAsync());
        var covered = Written(path, new Id3Changes { Cover = new CoverPicture("image/jpeg", jpeg) }, $"covered-{version}.mp3");
        var coveredProbe = await ProbeAsync(covered);
        Assert.Equal("mjpeg", AttachedPicture(coveredProbe)!.Value.GetProperty("codec_name").GetString());
        Assert.Single(coveredProbe.GetProperty("streams").EnumerateArray(), s => s.GetProperty("codec_type").GetString() == "video");
        Assert.Equal(jpeg, MediaInspector.Inspect(covered).Cover!.Data);
        var bare = Written(covered, new Id3Changes { RemoveCover = true }, $"bare-{version}.mp3");
        var bareProbe = await ProbeAsync(bare);
        Assert.Null(AttachedPicture(bareProbe));
        Assert.Null(MediaInspector.Inspect(bare).Cover);
        Assert.Equal(FormatTags(probe), FormatTags(bareProbe));
    }

    [Fact]
    public async Task An_ID3v2_2_tag_is_recognised_and_its_text_read_as_ffprobe_reads_it()
    {
        byte[] Frame22(string id, string text)
        {
            var data = new byte[] { 0 }.Concat(Encoding.Latin1.GetBytes(text)).ToArray();
            return Encoding.ASCII.GetBytes(id).Concat(new[] { (byte)(data.Length >> 16), (byte)(data.Length >> 8), (byte)data.Length }).Concat(data).ToArray();
        }
        var comment = new byte[] { 0 }.Concat(Encoding.ASCII.GetBytes("eng\0An old comment")).ToArray();
        var frames = Frame22("TT2", "Old title").Concat(Frame22("TP1", "Old artist")).Concat(Frame22("TAL", "Old album")).Concat(Frame22("TCO", "(17)"))
            .Concat(Encoding.ASCII.GetBytes("COM")).Concat(new[] { (byte)0, (byte)0, (byte)comment.Length }).Concat(comment).Concat(new byte[32]).ToArray();
        var path = Path.Combine(_dir, "v22.mp3");
        File.WriteAllBytes(path, Header(2, 0, frames.Length).Concat(frames).Concat(File.ReadAllBytes(await TaglessAsync(4))).ToArray());
        var probe = await ProbeAsync(path);
        var facts = MediaInspector.Inspect(path);
        Assert.Equal("ID3v2.2", facts.TagFormat);
        Assert.Equal("Old title", facts.Tags["title"]);
        Assert.Equal("Rock", facts.Tags["genre"]);
        SameAsFfprobe(facts, probe);

        // Rewritten as 2.3 with the ids widened: ffprobe sees the same tags.
        var rewritten = Written(path, new Id3Changes(), "v22-as-23.mp3");
        Assert.Equal(3, File.ReadAllBytes(rewritten)[3]);
        Assert.Equal(FormatTags(probe), FormatTags(await ProbeAsync(rewritten)));
    }

    [Fact]
    public async Task A_damaged_tag_is_described_or_refused_never_thrown_at_random()
    {
        var changes = new Id3Changes { Chapters = new[] { new MediaChapter(TimeSpan.Zero, null, "One"), new MediaChapter(TimeSpan.FromSeconds(1), null, "Two") } };
        changes.Tags["title"] = "Fuzzed ÿ 日本";
        changes.Tags["comment"] = "c";
        changes.Tags["custom"] = "x";
        var good = File.ReadAllBytes(Written(await TaglessAsync(4), changes, "fuzz-source.mp3"));
        var frames = TagLength(good) - Id3v2Writer.Padding;
        var random = new Random(1234);
        for (var run = 0; run < 400; run++)
        {
            var bytes = (byte[])good.Clone();
            for (var k = random.Next(1, 6); k > 0; k--) bytes[random.Next(3, frames)] = (byte)random.Next(256);
            if (run % 4 == 0) bytes[3] = (byte)random.Next(2, 5); // read as another version
            using var stream = new MemoryStream(bytes, writable: false);
            var facts = MediaInspector.Inspect(stream, bytes.Length); // never throws
            Assert.NotNull(facts);
            try
            {
                Id3v2Writer.Write(new MemoryStream(bytes, writable: false), new MemoryStream(), new Id3Changes());
            }
            catch (InvalidDataException) { } // refused with a message: the one exception allowed
        }
    }
}
