using System.Globalization;

namespace NemoVideo.Media;

/// <summary>What kind of file the bytes are, whatever its name says.</summary>
public enum MediaContainer
{
    /// <summary>Not recognised (or empty).</summary>
    Unknown,
    /// <summary>MPEG audio frames (MP3, or MP2), with or without ID3/APE tags.</summary>
    Mp3,
    /// <summary>ISO base media: MP4, MOV, M4A.</summary>
    Mp4,
    /// <summary>Matroska or WebM.</summary>
    Matroska,
    /// <summary>RIFF WAVE, or its 64-bit forms RF64 and BW64.</summary>
    Wave,
    /// <summary>Recognised as something that is not media: text, JSON, HTML.</summary>
    Other,
    /// <summary>RIFF AVI (and OpenDML AVI past 1 GB).</summary>
    Avi,
}

/// <summary>What a file is, measured from its own bytes (see <see cref="MediaInspector"/>).</summary>
public sealed class MediaFacts
{
    public MediaContainer Container { get; init; }
    /// <summary>The MP4 ftyp major brand ("isom", "qt  ", "M4A "), or Matroska's doc type.</summary>
    public string? Brand { get; init; }
    public bool HasVideo { get; init; }
    public bool HasAudio { get; init; }
    /// <summary>As ffprobe names them: mp3, mp2, aac, opus, pcm…</summary>
    public string? AudioCodec { get; init; }
    /// <summary>As ffprobe names them: h264, hevc, av1, vp9, mpeg4…</summary>
    public string? VideoCodec { get; init; }
    /// <summary>Measured: the audio's bytes over its length (for an MP3, the frames without tags).</summary>
    public int? AudioBitrateKbps { get; init; }
    /// <summary>Measured: the video track's bytes over its length.</summary>
    public int? VideoBitrateKbps { get; init; }
    /// <summary>MP3: a Xing or VBRI header, or frames of different bitrates.</summary>
    public bool? IsVbr { get; init; }
    public int? SampleRate { get; init; }
    public int? Channels { get; init; }
    public TimeSpan? Duration { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    /// <summary>The file's size in bytes.</summary>
    public long Length { get; init; }
    /// <summary>Cut short: an MP3's last frame incomplete or fewer frames than its header promises; an MP4 without its index, with a box past the end or samples its index places past the end; a WAV, Matroska segment or cluster, or AVI that runs past the end.</summary>
    public bool Truncated { get; init; }
    /// <summary>The whole track list was read (MP4/MOV or Matroska, not cut short): <see cref="HasAudio"/> is then a fact, not a guess.</summary>
    public bool TracksKnown => Container is MediaContainer.Mp4 or MediaContainer.Matroska && !Truncated;
    /// <summary>For text: its first characters, to quote in a message.</summary>
    public string? TextStart { get; init; }
    /// <summary>The video sample entry's four-character code as written (avc1, hvc1, hev1): which players open it depends on it.</summary>
    public string? VideoCodecTag { get; init; }
    /// <summary>Every audio track, in the file's order (the first is the one <see cref="AudioCodec"/> describes); empty when not read.</summary>
    public IReadOnlyList<AudioTrackFacts> AudioTracks { get; init; } = Array.Empty<AudioTrackFacts>();
    /// <summary>The file's tags under ffprobe's names, lower case: title, artist, album, album_artist, date, genre, comment, track.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
    /// <summary>The chapters, in order; empty when there are none.</summary>
    public IReadOnlyList<MediaChapter> Chapters { get; init; } = Array.Empty<MediaChapter>();
    /// <summary>The front cover (or the only picture), when the file carries one.</summary>
    public CoverPicture? Cover { get; init; }
    /// <summary>The tag format the metadata came from: "ID3v2.3", "ID3v2.4", "ID3v1", "MP4", "Matroska", "RIFF INFO"; null when there is none.</summary>
    public string? TagFormat { get; init; }

    /// <summary>One line for messages, such as "an MP3 (320 kbps CBR, 44.1 kHz stereo, 5.0 s)" or "an MP4 video (h264 1280x720, aac), 5.0 s".</summary>
    public string Describe()
    {
        var length = Duration is TimeSpan d ? ", " + d.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s" : "";
        var cut = Truncated ? ", cut short" : "";
        switch (Container)
        {
            case MediaContainer.Mp3:
                var mode = IsVbr == true ? " VBR" : " CBR";
                var rate = SampleRate is int sr ? ", " + (sr / 1000.0).ToString("0.##", CultureInfo.InvariantCulture) + " kHz" : "";
                var ch = Channels switch { 1 => " mono", 2 => " stereo", _ => "" };
                return $"an {(AudioCodec == "mp2" ? "MP2" : "MP3")} ({AudioBitrateKbps} kbps{mode}{rate}{ch}{length}{cut})";
            case MediaContainer.Mp4:
            case MediaContainer.Matroska:
                var kind = Container == MediaContainer.Mp4 ? (Brand?.Trim() == "qt" ? "a MOV" : "an MP4") : Brand == "webm" ? "a WebM" : "a Matroska";
                var parts = new List<string>();
                if (HasVideo) parts.Add((VideoCodec ?? "video") + (Width is int w && Height is int h ? $" {w}x{h}" : ""));
                if (HasAudio) parts.Add((AudioCodec ?? "audio") + (AudioBitrateKbps is int ak && !HasVideo ? $" {ak} kbps" : ""));
                return $"{kind} {(HasVideo ? "video" : HasAudio ? "audio file" : "file without audio or video")}" + (parts.Count > 0 ? " (" + string.Join(", ", parts) + ")" : "") + length + cut;
            case MediaContainer.Avi:
                var streams = new List<string>();
                if (HasVideo) streams.Add((VideoCodec ?? "video") + (Width is int aw && Height is int ah ? $" {aw}x{ah}" : ""));
                if (HasAudio) streams.Add(AudioCodec ?? "audio");
                return $"an AVI {(HasVideo ? "video" : HasAudio ? "audio file" : "file without audio or video")}" + (streams.Count > 0 ? " (" + string.Join(", ", streams) + ")" : "") + length + cut;
            case MediaContainer.Wave:
                return $"a WAV file ({AudioCodec ?? "pcm"}{length})";
            case MediaContainer.Other:
                return TextStart is string t ? $"a text file (starting \"{t}\")" : "a file that is not media";
            default:
                return Length == 0 ? "an empty file" : $"a file of {Length} bytes that is not recognised media";
        }
    }

    public override string ToString() => Describe();
}
