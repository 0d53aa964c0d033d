using System.Management.Automation;
using NemoVideo.Media;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Tells what media files are, read from their bytes: container, codecs, length, bitrate, tags, chapters, cover; with -Loudness their measured loudness.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "NemoMediaInfo", DefaultParameterSetName = "Path")]
[OutputType(typeof(MediaReport))]
public sealed class GetNemoMediaInfoCommand : NemoCmdlet
{
    /// <summary>Files to describe; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Files to describe, taken exactly as written (bound from FileInfo objects in the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Measure the integrated loudness (LUFS), true peak and loudness range too (with ffmpeg; it decodes the whole audio).</summary>
    [Parameter]
    public SwitchParameter Loudness { get; set; }

    private Local.FfmpegTools? _tools;

    protected override void BeginProcessing()
    {
        if (!Loudness) return;
        try { _tools = Local.FfmpegTools.Locate(); }
        catch (Local.LocalEngineException ex) { ThrowTerminatingError(ToErrorRecord(ex, null)); }
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == "LiteralPath";
        foreach (var file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            if (Directory.Exists(file))
            {
                WriteError(ToErrorRecord(new NemoVideo.Media.MediaInputException(NemoVideo.Media.InputProblem.Folder, file, $"'{file}' is a folder, not a file"), file));
                continue;
            }
            MediaFacts facts;
            try { facts = MediaInspector.Inspect(file); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(new ErrorRecord(ex, "Nemo.CannotRead", ErrorCategory.ReadError, new FileInfo(file))
                {
                    ErrorDetails = new ErrorDetails($"'{file}' could not be read: {ex.Message}") { RecommendedAction = "Check that no other program holds it open (a recording still being written) and that you can read it." },
                });
                continue;
            }
            Media.LoudnessReading? loudness = null;
            if (_tools != null)
            {
                if (facts.HasAudio)
                    RunOrWriteError(async (_, ct) => loudness = await Local.LoudnessMeter.MeasureAsync(_tools, file, 0, facts.Duration, null, ct).ConfigureAwait(false), new FileInfo(file));
                else
                    WriteWarning($"'{System.IO.Path.GetFileName(file)}' has no audio to measure.");
            }
            WriteObject(MediaReport.Of(file, facts, loudness));
        }
    }
}
