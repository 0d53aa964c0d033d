using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// The request a journal entry was paid for, as the cmdlet asked it: the kind of job, its output and every parameter
/// that shapes it, so that paid work is finished exactly as first asked (Get-NemoPendingWork | ConvertTo-NemoMp3),
/// with the same journal key and so no new edit.
/// </summary>
public sealed class JobParameters
{
    public const string Mp3Kind = "Mp3";
    public const string CompressKind = "Compress";

    /// <summary><see cref="Mp3Kind"/> or <see cref="CompressKind"/>.</summary>
    public string Kind { get; set; } = "";
    public string OutputPath { get; set; } = "";
    public bool Overwrite { get; set; }
    public double RenderTimeoutSeconds { get; set; }
    public string Language { get; set; } = "en";

    // MP3
    public int? Bitrate { get; set; }
    public int? Quality { get; set; }
    public int? AudioTrack { get; set; }
    public string? AudioLanguage { get; set; }
    public double? Loudness { get; set; }
    public double? TruePeak { get; set; }
    public bool Level { get; set; }
    public bool SendWholeFile { get; set; }
    public Dictionary<string, string?>? Tags { get; set; }
    public List<JobChapter>? Chapters { get; set; }
    public string? CoverMimeType { get; set; }
    public byte[]? CoverData { get; set; }
    public string? CoverDescription { get; set; }

    // Compression
    public int? VideoBitrate { get; set; }
    public long? TargetSize { get; set; }
    public int? Height { get; set; }
    public string? Codec { get; set; }
    public bool TwoPass { get; set; }

    /// <summary>What <paramref name="request"/> asks (a target size as asked, not its worked-out bitrate); null for a kind it does not know.</summary>
    public static JobParameters? Of(MediaJobRequest request)
    {
        var p = new JobParameters
        {
            OutputPath = Path.GetFullPath(request.OutputPath), Overwrite = request.Overwrite, RenderTimeoutSeconds = request.RenderTimeout.TotalSeconds,
            Language = request.Language,
        };
        switch (request)
        {
            case Mp3Request mp3:
                p.Kind = Mp3Kind;
                p.Bitrate = mp3.Encoding.ConstantKbps;
                p.Quality = mp3.Encoding.VbrQuality;
                p.AudioTrack = mp3.AudioTrack;
                p.AudioLanguage = mp3.AudioLanguage;
                p.Loudness = mp3.Loudness?.Integrated;
                p.TruePeak = mp3.Loudness?.TruePeak;
                p.Level = mp3.Level;
                p.SendWholeFile = mp3.SendWholeFile;
                p.Tags = mp3.Tags.Count == 0 ? null : mp3.Tags.ToDictionary(t => t.Key, t => t.Value);
                p.Chapters = mp3.Chapters?.Select(c => new JobChapter { StartTicks = c.Start.Ticks, EndTicks = c.End?.Ticks, Title = c.Title }).ToList();
                p.CoverMimeType = mp3.Cover?.MimeType;
                p.CoverData = mp3.Cover?.Data;
                p.CoverDescription = mp3.Cover?.Description;
                return p;
            case CompressRequest compress:
                var asked = compress.Asked ?? compress;
                p.Kind = CompressKind;
                p.TargetSize = asked.TargetSize?.Bytes;
                p.VideoBitrate = asked.TargetSize is null ? asked.VideoBitrateKbps : null;
                p.Height = asked.Height;
                p.Codec = asked.Codec.ToString();
                p.TwoPass = asked.TwoPass;
                return p;
            default:
                return null;
        }
    }

    /// <summary>The request again, for <paramref name="sourcePath"/>.</summary>
    public MediaJobRequest ToRequest(string sourcePath)
    {
        var timeout = TimeSpan.FromSeconds(RenderTimeoutSeconds);
        switch (Kind)
        {
            case Mp3Kind:
                var encoding = Quality is int q ? Mp3Encoding.Variable(q) : Bitrate is int b ? Mp3Encoding.Constant(b) : Mp3Encoding.Default;
                return new Mp3Request(sourcePath, OutputPath, encoding, AudioTrack)
                {
                    Overwrite = Overwrite, RenderTimeout = timeout, Language = Language, AudioLanguage = AudioLanguage,
                    Loudness = Loudness is double l ? new LoudnessTarget(l, TruePeak ?? -1) : null, Level = Level, SendWholeFile = SendWholeFile,
                    Tags = Tags is null ? new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) : new Dictionary<string, string?>(Tags, StringComparer.OrdinalIgnoreCase),
                    Chapters = Chapters?.Select(c => new MediaChapter(TimeSpan.FromTicks(c.StartTicks), c.EndTicks is long e ? TimeSpan.FromTicks(e) : null, c.Title)).ToList(),
                    Cover = CoverMimeType is string mime && CoverData is byte[] data ? new CoverPicture(mime, data, CoverDescription) : null,
                };
            case CompressKind:
                var codec = Codec is string c && Enum.TryParse<VideoCodec>(c, out var parsed) ? parsed : VideoCodec.H264;
                return TargetSize is long size
                    ? new CompressRequest(sourcePath, OutputPath, new FileSize(size), Height) { Overwrite = Overwrite, RenderTimeout = timeout, Language = Language, Codec = codec }
                    : new CompressRequest(sourcePath, OutputPath, VideoBitrate ?? 0, Height) { Overwrite = Overwrite, RenderTimeout = timeout, Language = Language, Codec = codec, TwoPass = TwoPass };
            default:
                throw new InvalidOperationException($"A request of kind '{Kind}' cannot be made again.");
        }
    }
}

/// <summary>A chapter as <see cref="JobParameters"/> keeps it.</summary>
public sealed class JobChapter
{
    public long StartTicks { get; set; }
    public long? EndTicks { get; set; }
    public string? Title { get; set; }
}
