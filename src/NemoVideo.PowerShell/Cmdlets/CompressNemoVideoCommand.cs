using System.Management.Automation;
using NemoVideo.Jobs;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Re-encodes videos at a target bitrate or to a target file size (and optionally a lower resolution, in H.264 or H.265) through NemoVideo.</para>
/// </summary>
[Cmdlet(VerbsData.Compress, "NemoVideo", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class CompressNemoVideoCommand : MediaJobCommand
{
    private const string SizePath = "TargetSizePath";
    private const string SizeLiteralPath = "TargetSizeLiteralPath";

    /// <summary>Files to convert; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Path")]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SizePath)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public new string[]? Path { get => base.Path; set => base.Path = value; }

    /// <summary>Files to convert, taken exactly as written (bound from FileInfo objects in the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = SizeLiteralPath)]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public new string[]? LiteralPath { get => base.LiteralPath; set => base.LiteralPath = value; }

    /// <summary>The video bitrate: 8Mbps, 8M, 2.5Mbps, 8000k or a number of kbps.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    [Parameter(Mandatory = true, ParameterSetName = "LiteralPath")]
    [BitrateTransformation]
    [ArgumentCompleter(typeof(VideoBitrateCompleter))]
    [ValidateRange(100, 200_000)]
    public int VideoBitrate { get; set; }

    /// <summary>The size the file must have: 25MB, '25 MB', '800KB', '1.5GB' (1024-based, as PowerShell counts); the result measures 85 to 100 % of it.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SizePath)]
    [Parameter(Mandatory = true, ParameterSetName = SizeLiteralPath)]
    [FileSizeTransformation]
    [ArgumentCompleter(typeof(TargetSizeCompleter))]
    [ValidateRange(1L, long.MaxValue)]
    public long TargetSize { get; set; }

    /// <summary>The output height; the source's when left out (with -TargetSize, a lower one when the size needs it, said in a warning).</summary>
    [Parameter]
    [ValidateResolution]
    [ArgumentCompleter(typeof(ResolutionCompleter))] // from the smallest up (a ValidateSet completes sorted as text)
    public string? Resolution { get; set; }

    /// <summary>H264 (plays everywhere, the default) or H265 (the newer codec, tagged hvc1 for Apple and Windows players).</summary>
    [Parameter]
    public VideoCodec Codec { get; set; } = VideoCodec.H264;

    /// <summary>Encode in two passes, for a bitrate closer to the target (slower); -TargetSize always does.</summary>
    [Parameter(ParameterSetName = "Path")]
    [Parameter(ParameterSetName = "LiteralPath")]
    public SwitchParameter TwoPass { get; set; }

    private bool BySize => ParameterSetName.StartsWith("TargetSize", StringComparison.Ordinal);

    protected override string OutputExtension => ".mp4";
    protected override string SameNameSuffix => ".compressed";
    protected override string RequestKind => JobParameters.CompressKind;
    protected override string Activity => "Compressing videos";

    protected override string Describe(string output) =>
        $"Compress to {(BySize ? FileSize.Format(TargetSize) : CompressRequest.FormatBitrate(VideoBitrate))}{(Resolution is null ? "" : " at " + Resolution)}"
        + $"{(Codec == VideoCodec.H265 ? " in H.265" : "")} into '{output}'";

    protected override MediaJobRequest CreateRequest(string source, string output, bool overwrite, TimeSpan timeout)
    {
        var height = Resolution is null ? (int?)null : MediaUnits.ParseHeight(Resolution);
        return BySize
            ? new CompressRequest(source, output, new FileSize(TargetSize), height) { Overwrite = overwrite, RenderTimeout = timeout, Codec = Codec }
            : new CompressRequest(source, output, VideoBitrate, height) { Overwrite = overwrite, RenderTimeout = timeout, TwoPass = TwoPass, Codec = Codec };
    }

    protected override string ResultTypeName => "NemoVideo.CompressedVideo";

    protected override void Describe(PSObject output, JobResult job)
    {
        var result = (CompressResult)job; // this cmdlet's requests are all of that kind
        output.Properties.Add(new PSNoteProperty("Bitrate", result.BitrateKbps));
        output.Properties.Add(new PSNoteProperty("RequestedBitrate", result.RequestedBitrateKbps));
        output.Properties.Add(new PSNoteProperty("TargetSize", result.TargetSize));
        output.Properties.Add(new PSNoteProperty("Codec", result.VideoCodec));
        output.Properties.Add(new PSNoteProperty("Resolution", Resolution));
    }
}
