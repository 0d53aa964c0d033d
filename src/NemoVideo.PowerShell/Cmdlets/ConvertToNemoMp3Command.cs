using System.Management.Automation;
using NemoVideo.Jobs;
using NemoVideo.Local;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Extracts the audio of videos as MP3 files through NemoVideo.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "NemoMp3", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ConvertToNemoMp3Command : MediaJobCommand
{
    /// <summary>The MP3 bitrate in kbps, one of the MP3 rates from 32 to 320; 320k and 320kbps are read too.</summary>
    [Parameter]
    [Mp3BitrateTransformation]
    [ArgumentCompleter(typeof(Mp3BitrateCompleter))]
    public int Bitrate { get; set; } = 192;

    /// <summary>Which audio track to extract, 1 for the first; the default track when left out.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int AudioTrack { get; set; }

    /// <summary>Pick the audio track by its language tag (eng, ger, or en) instead of by number.</summary>
    [Parameter]
    [ValidatePattern("^[A-Za-z]{2,3}$")]
    [ArgumentCompleter(typeof(AudioLanguageCompleter))]
    public string? AudioLanguage { get; set; }

    /// <summary>Variable bitrate at LAME quality 0 (best) to 9, instead of -Bitrate.</summary>
    [Parameter]
    [ValidateRange(0, 9)]
    public int Quality { get; set; }

    /// <summary>Bring the audio to this integrated loudness in LUFS (-16 for podcasts, -23 for EBU R128 broadcast), measured on the finished MP3.</summary>
    [Parameter]
    [ValidateRange(-36.0, -6.0)]
    [ArgumentCompleter(typeof(LoudnessCompleter))]
    public double Loudness { get; set; }

    /// <summary>The true-peak ceiling in dBTP with -Loudness (default -1).</summary>
    [Parameter]
    [ValidateRange(-9.0, 0.0)]
    public double TruePeak { get; set; } = -1;

    /// <summary>Even out speakers recorded at different levels (a leveler) before the loudness is set.</summary>
    [Parameter]
    public SwitchParameter Level { get; set; }

    /// <summary>Chapters to write instead of the source's: objects or hashtables with Start and Title (and optionally End); times as 90, 1:30 or 01:02:03.5.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public object[]? Chapter { get; set; }

    /// <summary>A JPEG or PNG to write as the front cover, instead of the source's own picture.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CoverImage { get; set; }

    /// <summary>Tags to set over the source's: Title, Artist, Album, AlbumArtist, Year (or Date), Genre, Comment, Track, and any other name; an empty value removes one.</summary>
    [Parameter]
    [ValidateNotNull]
    public System.Collections.Hashtable? Tag { get; set; }

    /// <summary>The cloud: send the whole file, not only the audio track the MP3 is made from (for whoever wants the service to see the video).</summary>
    [Parameter]
    public SwitchParameter SendWholeFile { get; set; }

    private Media.CoverPicture? _cover;
    private IReadOnlyList<Media.MediaChapter>? _chapters;
    private Dictionary<string, string?> _tags = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The one choice the parameters make: -Quality, -Bitrate, or neither (then an MP3 source may be copied).</summary>
    private Mp3Encoding Encoding =>
        MyInvocation.BoundParameters.ContainsKey(nameof(Quality)) ? Mp3Encoding.Variable(Quality)
        : MyInvocation.BoundParameters.ContainsKey(nameof(Bitrate)) ? Mp3Encoding.Constant(Bitrate)
        : Mp3Encoding.Default;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (AudioTrack > 0 && AudioLanguage != null)
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("Give -AudioTrack or -AudioLanguage, not both."), "Nemo.TrackAndLanguage", ErrorCategory.InvalidArgument, null));
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Quality)) && MyInvocation.BoundParameters.ContainsKey(nameof(Bitrate)))
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("Give -Bitrate (constant) or -Quality (variable), not both."), "Nemo.BitrateAndQuality", ErrorCategory.InvalidArgument, null));
        if (MyInvocation.BoundParameters.ContainsKey(nameof(TruePeak)) && !MyInvocation.BoundParameters.ContainsKey(nameof(Loudness)))
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("-TruePeak is the ceiling of a loudness target: give -Loudness too (for example -Loudness -16 -TruePeak -1.5)."), "Nemo.TruePeakWithoutLoudness", ErrorCategory.InvalidArgument, TruePeak));
        // Everything the whole batch shares is read and checked once, before any file is touched or sent.
        if (CoverImage != null)
        {
            try { _cover = Media.CoverPicture.Load(ToFileSystemPath(CoverImage)); }
            catch (NemoVideo.Media.MediaInputException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "Nemo.BadCoverImage", ErrorCategory.InvalidArgument, CoverImage)
                {
                    ErrorDetails = new ErrorDetails(ex.Message + ".") { RecommendedAction = "Give -CoverImage a JPEG or PNG file (square, 1400x1400 to 3000x3000 is what podcast directories ask for)." },
                });
            }
        }
        if (Chapter != null)
        {
            try { _chapters = ChapterList.From(Chapter); }
            catch (FormatException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException(ex.Message, ex), "Nemo.BadChapter", ErrorCategory.InvalidArgument, Chapter));
            }
        }
        if (Tag != null)
        {
            try { _tags = TagNames.From(Tag); }
            catch (FormatException ex)
            {
                ThrowTerminatingError(new ErrorRecord(new PSArgumentException(ex.Message, ex), "Nemo.BadTag", ErrorCategory.InvalidArgument, Tag));
            }
        }
        if (MyInvocation.BoundParameters.ContainsKey(nameof(Loudness)) && Engine != NemoEngine.Local && Local.FfmpegTools.TryLocate() is null)
            ThrowTerminatingError(new ErrorRecord(new PSInvalidOperationException(
                    "-Loudness is measured on the finished MP3 (and finished on this machine when the service misses it) with ffmpeg, which was not found; nothing was uploaded."),
                "Nemo.FfmpegMissing", ErrorCategory.NotInstalled, null)
            {
                ErrorDetails = new ErrorDetails("-Loudness is measured on the finished MP3 (and finished on this machine when the service misses it) with ffmpeg, which was not found; nothing was uploaded.")
                {
                    RecommendedAction = Local.LocalEngineException.InstallAdvice + " Or leave -Loudness out.",
                },
            });
    }

    protected override string OutputExtension => ".mp3";
    protected override string SameNameSuffix => ".audio";
    protected override string RequestKind => JobParameters.Mp3Kind;
    protected override string Activity => "Converting to MP3";

    private LoudnessTarget? Target => MyInvocation.BoundParameters.ContainsKey(nameof(Loudness)) ? new LoudnessTarget(Loudness, TruePeak) : null;

    protected override string Describe(string output) =>
        $"Extract the audio at {Encoding}" + (Target is LoudnessTarget t ? $", at {t}," : "") + $" to '{output}'";

    protected override MediaJobRequest CreateRequest(string source, string output, bool overwrite, TimeSpan timeout) =>
        new Mp3Request(source, output, Encoding, AudioTrack > 0 ? AudioTrack : null)
        {
            Overwrite = overwrite, RenderTimeout = timeout, AudioLanguage = AudioLanguage,
            Loudness = Target, Tags = _tags, Chapters = _chapters, Cover = _cover, SendWholeFile = SendWholeFile,
            Level = Level.IsPresent,
        };

    protected override string ResultTypeName => "NemoVideo.Mp3File";

    protected override void Describe(PSObject output, JobResult job)
    {
        var result = (Mp3Result)job; // this cmdlet's requests are all of that kind
        output.Properties.Add(new PSNoteProperty("Bitrate", result.BitrateKbps));
        output.Properties.Add(new PSNoteProperty("RequestedBitrate", result.RequestedBitrateKbps));
        output.Properties.Add(new PSNoteProperty("Vbr", result.IsVbr));
        output.Properties.Add(new PSNoteProperty("StreamCopied", result.StreamCopied));
        // Measured on the finished file: loudness (when asked), and what its tag carries.
        output.Properties.Add(new PSNoteProperty("Loudness", result.Loudness));
        output.Properties.Add(new PSNoteProperty("TruePeak", result.TruePeak));
        var facts = result.Facts;
        output.Properties.Add(new PSNoteProperty("Title", facts?.Tags.TryGetValue("title", out var title) == true ? title : null));
        output.Properties.Add(new PSNoteProperty("Chapters", facts?.Chapters.ToArray() ?? Array.Empty<Media.MediaChapter>()));
        output.Properties.Add(new PSNoteProperty("Cover", facts?.Cover is Media.CoverPicture c ? c.ToString() : null));
    }
}
