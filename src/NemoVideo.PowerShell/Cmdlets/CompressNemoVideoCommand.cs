using System.Management.Automation;
using NemoVideo.Jobs;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Re-encodes videos at a target bitrate (and optionally a lower resolution) through NemoVideo.</para>
/// </summary>
[Cmdlet(VerbsData.Compress, "NemoVideo", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class CompressNemoVideoCommand : MediaJobCommand
{
    /// <summary>The video bitrate: 8Mbps, 8M, 2.5Mbps, 8000k or a number of kbps.</summary>
    [Parameter(Mandatory = true)]
    [BitrateTransformation]
    [ValidateRange(100, 200_000)]
    public int VideoBitrate { get; set; }

    /// <summary>The output height; the source's when left out.</summary>
    [Parameter]
    [ValidateSet("240p", "360p", "480p", "540p", "720p", "1080p", "1440p", "2160p")]
    public string? Resolution { get; set; }

    /// <summary>Encode in two passes, for a bitrate closer to the target (slower).</summary>
    [Parameter]
    public SwitchParameter TwoPass { get; set; }

    protected override string OutputExtension => ".mp4";
    protected override string SameNameSuffix => ".compressed";
    protected override string Activity => "Compressing videos";

    protected override string Describe(string output) =>
        $"Compress to {CompressRequest.FormatBitrate(VideoBitrate)}{(Resolution is null ? "" : " at " + Resolution)} into '{output}'";

    protected override MediaJobRequest CreateRequest(string source, string output, bool overwrite, TimeSpan timeout) =>
        new CompressRequest(source, output, VideoBitrate, Resolution is null ? null : MediaUnits.ParseHeight(Resolution))
        {
            Overwrite = overwrite, RenderTimeout = timeout, TwoPass = TwoPass,
        };

    protected override void Describe(PSObject output, JobResult result)
    {
        output.Properties.Add(new PSNoteProperty("Bitrate", result.BitrateKbps));
        output.Properties.Add(new PSNoteProperty("RequestedBitrate", result.RequestedBitrateKbps));
        output.Properties.Add(new PSNoteProperty("Resolution", Resolution));
    }
}
