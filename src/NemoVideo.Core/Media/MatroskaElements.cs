namespace NemoVideo.Media;

/// <summary>What the Matroska walk has found so far, turned into <see cref="MediaFacts"/> at the end.</summary>
internal sealed class MatroskaFacts
{
    public long Length;
    public string? Brand;
    public bool Truncated;
    public double? DurationNs;
    public long TimestampScale = 1_000_000;
    public string? VideoCodec;
    public int? Width, Height;
    public bool HasVideo;
    public readonly List<AudioTrackFacts> Audio = new();
    public readonly Dictionary<string, string> Tags = new();
    public readonly List<MediaChapter> Chapters = new();
    public CoverPicture? Cover;
    public bool CoverIsNamed;

    public MediaFacts Build()
    {
        var first = Audio.Count > 0 ? Audio[0] : null;
        return new MediaFacts
        {
            Container = MediaContainer.Matroska, Brand = Brand ?? "matroska", Length = Length, Truncated = Truncated,
            HasVideo = HasVideo, HasAudio = first != null, VideoCodec = VideoCodec, AudioCodec = first?.Codec,
            Width = Width, Height = Height, SampleRate = first?.SampleRate, Channels = first?.Channels,
            Duration = DurationNs is double ns && ns > 0 && ns / 100 < TimeSpan.MaxValue.Ticks ? TimeSpan.FromTicks((long)(ns / 100)) : null,
            AudioTracks = Audio, Tags = Tags, Chapters = Chapters, Cover = Cover,
            TagFormat = Tags.Count > 0 || Chapters.Count > 0 || Cover != null ? "Matroska" : null,
        };
    }
}

/// <summary>The Segment's metadata elements, each read whole into memory: Info, Tracks, Chapters, Tags.</summary>
internal static class MatroskaElements
{
    public static void ReadInfo(byte[] b, MatroskaFacts facts)
    {
        double? duration = null;
        foreach (var e in MatroskaReader.Children(b, 0, b.Length))
        {
            switch (e.Id)
            {
                case 0x2AD7B1: facts.TimestampScale = (long)MatroskaReader.UInt(b, e) is var scale and > 0 ? scale : 1_000_000; break;
                case 0x4489: duration = MatroskaReader.Float(b, e); break;
                case 0x7BA9: facts.Tags["title"] = MatroskaReader.Utf8(b, e); break;
                case 0x4461 when e.End - e.Start == 8: // DateUTC: nanoseconds since 2001, which ffprobe shows as creation_time
                    var ns = (long)MatroskaReader.UInt(b, e);
                    facts.Tags["creation_time"] = MatroskaReader.Timestamp(new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(ns / 100));
                    break;
            }
        }
        if (duration is double d) facts.DurationNs = d * facts.TimestampScale;
    }

    public static void ReadTracks(byte[] b, MatroskaFacts facts)
    {
        foreach (var entry in MatroskaReader.Children(b, 0, b.Length))
        {
            if (entry.Id != 0xAE) continue; // TrackEntry
            ulong type = 0;
            string? codec = null, name = null, language = null, bcp47 = null;
            int? width = null, height = null, channels = null, rate = null, output = null;
            foreach (var e in MatroskaReader.Children(b, entry.Start, entry.End))
            {
                switch (e.Id)
                {
                    case 0x83: type = MatroskaReader.UInt(b, e); break;
                    case 0x86: codec = MatroskaReader.Utf8(b, e); break;
                    case 0x536E: name = MatroskaReader.Utf8(b, e); break;
                    case 0x22B59C: language = MatroskaReader.Utf8(b, e); break;
                    case 0x22B59D: bcp47 = MatroskaReader.Utf8(b, e); break;
                    case 0xE0: // Video
                        foreach (var v in MatroskaReader.Children(b, e.Start, e.End))
                            if (v.Id == 0xB0) width = (int)MatroskaReader.UInt(b, v);
                            else if (v.Id == 0xBA) height = (int)MatroskaReader.UInt(b, v);
                        break;
                    case 0xE1: // Audio
                        channels = 1; // the element's default
                        rate = 8000;
                        foreach (var a in MatroskaReader.Children(b, e.Start, e.End))
                            if (a.Id == 0xB5 && output is null) rate = (int)Math.Round(MatroskaReader.Float(b, a));
                            else if (a.Id == 0x78B5) output = rate = (int)Math.Round(MatroskaReader.Float(b, a)); // OutputSamplingFrequency: HE-AAC's SBR rate
                            else if (a.Id == 0x9F) channels = (int)MatroskaReader.UInt(b, a);
                        break;
                }
            }
            if (type == 1 && !facts.HasVideo)
            {
                facts.HasVideo = true;
                facts.VideoCodec = VideoCodec(codec);
                facts.Width = width; facts.Height = height;
            }
            else if (type == 2)
            {
                // Language defaults to "eng" when absent; ffprobe, like ffmpeg's muxer, treats "und" as no language.
                var lang = language ?? bcp47 ?? "eng";
                facts.Audio.Add(new AudioTrackFacts
                {
                    Codec = AudioCodec(codec), Language = lang == "und" ? null : lang, Title = name, Channels = channels, SampleRate = rate,
                });
            }
        }
    }

    public static void ReadChapters(byte[] b, MatroskaFacts facts)
    {
        (int Id, int Start, int End)? chosen = null;
        foreach (var edition in MatroskaReader.Children(b, 0, b.Length))
        {
            if (edition.Id != 0x45B9) continue; // EditionEntry
            chosen ??= ((int)edition.Id, edition.Start, edition.End);
            foreach (var e in MatroskaReader.Children(b, edition.Start, edition.End))
                if (e.Id == 0x45DB && MatroskaReader.UInt(b, e) == 1) { chosen = ((int)edition.Id, edition.Start, edition.End); goto found; }
        }
        found:
        if (chosen is not var (_, start, end)) return;
        long last = 0;
        foreach (var atom in MatroskaReader.Children(b, start, end))
        {
            if (atom.Id != 0xB6) continue; // ChapterAtom
            long? from = null, to = null;
            string? title = null;
            var shown = true;
            foreach (var e in MatroskaReader.Children(b, atom.Start, atom.End))
            {
                switch (e.Id)
                {
                    case 0x91: from = (long)MatroskaReader.UInt(b, e); break;
                    case 0x92: to = (long)MatroskaReader.UInt(b, e); break;
                    case 0x98: if (MatroskaReader.UInt(b, e) == 1) shown = false; break;
                    case 0x4598: if (MatroskaReader.UInt(b, e) == 0) shown = false; break;
                    case 0x80 when title is null:
                        foreach (var d in MatroskaReader.Children(b, e.Start, e.End))
                            if (d.Id == 0x85) { title = MatroskaReader.Utf8(b, d); break; }
                        break;
                }
            }
            // Hidden and disabled chapters are not for listeners (the specification; ffmpeg 5.1 keeps them, checked);
            // like ffmpeg, a chapter must start after the one before it.
            if (!shown || from is not long f || f < 0 || last > 0 && f <= last) continue;
            last = f;
            var startTime = TimeSpan.FromTicks(f / 100);
            var endTime = to is long t && t >= f ? TimeSpan.FromTicks(t / 100) : (TimeSpan?)null;
            facts.Chapters.Add(new MediaChapter(startTime, endTime, title));
        }
    }

    /// <summary>Only the file's own tags: a Tag whose Targets name a track, chapter or attachment belongs to that, not the file.</summary>
    public static void ReadTags(byte[] b, MatroskaFacts facts)
    {
        foreach (var tag in MatroskaReader.Children(b, 0, b.Length))
        {
            if (tag.Id != 0x7373) continue; // Tag
            var global = true;
            foreach (var e in MatroskaReader.Children(b, tag.Start, tag.End))
                if (e.Id == 0x63C0)
                    foreach (var t in MatroskaReader.Children(b, e.Start, e.End))
                        if (t.Id is 0x63C5 or 0x63C4 or 0x63C6 && MatroskaReader.UInt(b, t) != 0) global = false;
            if (!global) continue;
            foreach (var e in MatroskaReader.Children(b, tag.Start, tag.End))
                if (e.Id == 0x67C8) ReadSimpleTag(b, e.Start, e.End, "", facts.Tags);
        }
    }

    /// <summary>A SimpleTag under ffprobe's key: its name lower-cased, "-lang" when not "und", "PARENT/CHILD" when nested.</summary>
    private static void ReadSimpleTag(byte[] b, int start, int end, string prefix, Dictionary<string, string> tags)
    {
        string? name = null, value = null, language = null;
        foreach (var e in MatroskaReader.Children(b, start, end))
            if (e.Id == 0x45A3) name = MatroskaReader.Utf8(b, e);
            else if (e.Id == 0x4487) value = MatroskaReader.Utf8(b, e);
            else if (e.Id == 0x447A) language = MatroskaReader.Utf8(b, e);
        if (name is null) return;
        var key = prefix + name.ToLowerInvariant() + (language is null or "und" ? "" : "-" + language);
        if (value != null) tags[key] = value;
        foreach (var e in MatroskaReader.Children(b, start, end))
            if (e.Id == 0x67C8) ReadSimpleTag(b, e.Start, e.End, key + "/", tags);
    }

    private static string? VideoCodec(string? id) => id switch
    {
        null => null,
        "V_MPEG4/ISO/AVC" => "h264", "V_MPEGH/ISO/HEVC" => "hevc", "V_AV1" => "av1", "V_VP9" => "vp9", "V_VP8" => "vp8",
        "V_MPEG1" => "mpeg1video", "V_MPEG2" => "mpeg2video", "V_MJPEG" => "mjpeg", "V_THEORA" => "theora", "V_PRORES" => "prores",
        "V_FFV1" => "ffv1", "V_UNCOMPRESSED" => "rawvideo",
        _ when id.StartsWith("V_MPEG4/ISO/", StringComparison.Ordinal) => "mpeg4",
        _ => id,
    };

    private static string? AudioCodec(string? id) => id switch
    {
        null => null,
        "A_OPUS" => "opus", "A_MPEG/L3" => "mp3", "A_MPEG/L2" => "mp2", "A_MPEG/L1" => "mp1", "A_VORBIS" => "vorbis", "A_FLAC" => "flac",
        "A_AC3" => "ac3", "A_EAC3" => "eac3", "A_DTS" => "dts", "A_TRUEHD" => "truehd", "A_ALAC" => "alac",
        _ when id.StartsWith("A_AAC", StringComparison.Ordinal) => "aac",
        _ when id.StartsWith("A_PCM", StringComparison.Ordinal) => "pcm",
        _ when id.StartsWith("A_AC3", StringComparison.Ordinal) => "ac3",
        _ => id,
    };
}
