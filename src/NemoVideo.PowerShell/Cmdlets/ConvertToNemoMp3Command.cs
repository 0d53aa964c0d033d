using System.Management.Automation;
using NemoVideo.Jobs;

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
    public string? AudioLanguage { get; set; }

    /// <summary>Variable bitrate at LAME quality 0 (best) to 9, instead of -Bitrate.</summary>
    [Parameter]
    [ValidateRange(0, 9)]
    public int Quality { get; set; }

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
    }

    protected override string OutputExtension => ".mp3";
    protected override string SameNameSuffix => ".audio";
    protected override string Activity => "Converting to MP3";

    protected override string Describe(string output) => $"Extract the audio at {Encoding} to '{output}'";

    protected override MediaJobRequest CreateRequest(string source, string output, bool overwrite, TimeSpan timeout) =>
        new Mp3Request(source, output, Encoding, AudioTrack > 0 ? AudioTrack : null)
        {
            Overwrite = overwrite, RenderTimeout = timeout, AudioLanguage = AudioLanguage,
        };

    protected override void Describe(PSObject output, JobResult result)
    {
        output.Properties.Add(new PSNoteProperty("Bitrate", result.BitrateKbps));
        output.Properties.Add(new PSNoteProperty("RequestedBitrate", result.RequestedBitrateKbps));
        output.Properties.Add(new PSNoteProperty("Vbr", result.IsVbr));
        output.Properties.Add(new PSNoteProperty("StreamCopied", result.StreamCopied));
    }
}
