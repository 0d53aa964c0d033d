using System.Globalization;

namespace NemoVideo.Media;

/// <summary>
/// What a media file is, for people: the managed inspector's facts (read from the bytes, no ffprobe) as flat,
/// filterable properties — container, codecs, length, bitrate and mode, tags, chapters, cover — and, when measured,
/// its loudness. Carries data only (no picture bytes, no streams), so it formats and serialises cleanly.
/// </summary>
public sealed class MediaReport
{
    public string FullName { get; init; } = "";
    public string Name => Path.GetFileName(FullName);
    /// <summary>MP3, MP2, MP4, MOV, Matroska, WebM, WAV, AVI, or Unknown / NotMedia.</summary>
    public string Container { get; init; } = "";
    public bool HasVideo { get; init; }
    public bool HasAudio { get; init; }
    public string? VideoCodec { get; init; }
    public string? AudioCodec { get; init; }
    public TimeSpan? Duration { get; init; }
    /// <summary>kbps: the audio's for an audio file (the frames without tags, for an MP3), the whole file's over its length for a video.</summary>
    public int? Bitrate { get; init; }
    /// <summary>CBR or VBR, for an MP3.</summary>
    public string? BitrateMode { get; init; }
    public int? AudioBitrate { get; init; }
    public int? VideoBitrate { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>The file's size in bytes.</summary>
    public long Length { get; init; }
    /// <summary>Every audio track, numbered from 1 in the file's order, as -AudioTrack counts them and -AudioLanguage picks among them.</summary>
    public MediaAudioTrack[] AudioTracks { get; init; } = Array.Empty<MediaAudioTrack>();
    public string? Title { get; init; }
    public string? Artist { get; init; }
    public string? Album { get; init; }
    /// <summary>Every tag, under ffprobe's names.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    public MediaChapter[] Chapters { get; init; } = Array.Empty<MediaChapter>();
    /// <summary>The cover picture, described ("image/jpeg 3000x3000, 812 KB"); null when there is none.</summary>
    public string? Cover { get; init; }
    /// <summary>ID3v2.3, ID3v2.4, ID3v1, MP4, Matroska, RIFF INFO; null without tags.</summary>
    public string? TagFormat { get; init; }
    /// <summary>Cut short (a download or copy that did not finish).</summary>
    public bool Truncated { get; init; }
    /// <summary>The integrated loudness in LUFS (with -Loudness; ffmpeg's ebur128).</summary>
    public double? Loudness { get; init; }
    /// <summary>The true peak in dBTP (with -Loudness).</summary>
    public double? TruePeak { get; init; }
    /// <summary>The loudness range in LU (with -Loudness).</summary>
    public double? LoudnessRange { get; init; }
    /// <summary>One line: "an MP3 (192 kbps CBR, 44.1 kHz stereo, 60.0 s)".</summary>
    public string Description { get; init; } = "";

    /// <summary>The report of the file at <paramref name="path"/>, from its bytes.</summary>
    public static MediaReport Of(string path, LoudnessReading? loudness = null) => Of(path, MediaInspector.Inspect(path), loudness);

    /// <summary>The report of the file at <paramref name="path"/> from facts already read of it.</summary>
    public static MediaReport Of(string path, MediaFacts facts, LoudnessReading? loudness = null)
    {
        string? Tag(string name) => facts.Tags.TryGetValue(name, out var v) ? v : null;
        var audioOnly = facts.HasAudio && !facts.HasVideo;
        return new MediaReport
        {
            FullName = Path.GetFullPath(path), Container = ContainerName(facts), HasVideo = facts.HasVideo, HasAudio = facts.HasAudio, VideoCodec = facts.VideoCodec, AudioCodec = facts.AudioCodec,
            Duration = facts.Duration, AudioBitrate = facts.AudioBitrateKbps, VideoBitrate = facts.VideoBitrateKbps,
            Bitrate = audioOnly && facts.AudioBitrateKbps is int a ? a
                : facts.Duration is TimeSpan d && d.TotalSeconds > 0 ? (int)Math.Round(facts.Length * 8 / d.TotalSeconds / 1000) : null,
            BitrateMode = facts.Container == MediaContainer.Mp3 ? (facts.IsVbr == true ? "VBR" : "CBR") : null,
            AudioTracks = (facts.AudioTracks.Count > 0 ? facts.AudioTracks
                    : facts.HasAudio ? new[] { new AudioTrackFacts { Codec = facts.AudioCodec, Channels = facts.Channels, SampleRate = facts.SampleRate } } : Array.Empty<AudioTrackFacts>())
                .Select((t, i) => new MediaAudioTrack { Number = i + 1, Codec = t.Codec, Language = t.Language, Channels = t.Channels, SampleRate = t.SampleRate, Title = t.Title }).ToArray(),
            SampleRate = facts.SampleRate, Channels = facts.Channels, Width = facts.Width, Height = facts.Height, Length = facts.Length,
            Title = Tag("title"), Artist = Tag("artist"), Album = Tag("album"), Tags = facts.Tags, Chapters = facts.Chapters.ToArray(),
            Cover = facts.Cover?.ToString(), TagFormat = facts.TagFormat, Truncated = facts.Truncated,
            Loudness = loudness?.Integrated, TruePeak = loudness?.TruePeak, LoudnessRange = loudness?.Range, Description = facts.Describe(),
        };
    }

    private static string ContainerName(MediaFacts f) => f.Container switch
    {
        MediaContainer.Mp3 => f.AudioCodec == "mp2" ? "MP2" : "MP3",
        MediaContainer.Mp4 => f.Brand?.Trim() == "qt" ? "MOV" : "MP4",
        MediaContainer.Matroska => f.Brand == "webm" ? "WebM" : "Matroska",
        MediaContainer.Wave => "WAV",
        MediaContainer.Avi => "AVI",
        MediaContainer.Other => "NotMedia",
        _ => "Unknown",
    };

    public override string ToString() => Name + ": " + Description;
}

/// <summary>One audio track of a <see cref="MediaReport"/>: its number (from 1), codec, language, channels, rate and title.</summary>
public sealed class MediaAudioTrack
{
    /// <summary>From 1, in the file's order: the number -AudioTrack takes.</summary>
    public int Number { get; init; }
    public string? Codec { get; init; }
    /// <summary>The language tag (ISO 639-2, such as eng) -AudioLanguage matches; null when the track has none.</summary>
    public string? Language { get; init; }
    public int? Channels { get; init; }
    public int? SampleRate { get; init; }
    public string? Title { get; init; }

    /// <summary>"1: aac eng, stereo, 48 kHz" — how a list of them reads in Format-List.</summary>
    public override string ToString()
    {
        var parts = new List<string> { Codec ?? "audio" };
        if (Language != null) parts[0] += " " + Language;
        if (Channels is int c) parts.Add(c switch { 1 => "mono", 2 => "stereo", _ => c + " channels" });
        if (SampleRate is int r) parts.Add((r / 1000.0).ToString("0.###", CultureInfo.InvariantCulture) + " kHz");
        if (!string.IsNullOrEmpty(Title)) parts.Add("\"" + Title + "\"");
        return Number + ": " + string.Join(", ", parts);
    }
}
