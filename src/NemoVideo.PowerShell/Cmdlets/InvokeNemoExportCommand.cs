using System.Management.Automation;
using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Exports (renders) a session's timeline and downloads the result. Export costs no credits.</para>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "NemoExport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class InvokeNemoExportCommand : SessionCmdlet
{
    /// <summary>The output format.</summary>
    [Parameter]
    [ValidateSet("mp4", "mov", "webm", "mp3", "wav", "m4a", "aac")]
    public string Format { get; set; } = "mp4";

    /// <summary>The render quality.</summary>
    [Parameter]
    [ValidateSet("low", "medium", "high")]
    public string Quality { get; set; } = "high";

    /// <summary>Where to save the file; default nemo-&lt;session id&gt;.&lt;format&gt; in the current folder.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <summary>Overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>How long the render may take before it is cancelled: seconds (600), 10m or 00:10:00; at least 30 seconds.</summary>
    [Parameter]
    [RenderTimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    protected override void ProcessRecord()
    {
        var explicitTarget = OutFile is null ? null : ToFileSystemPath(OutFile);
        var folder = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
        RunOrThrow(async (pipeline, ct) =>
        {
            var (connection, sessionId) = await ResolveSessionAsync(ct).ConfigureAwait(false);
            var target = explicitTarget ?? System.IO.Path.Combine(folder, $"nemo-{sessionId}.{Format}");
            if (!await pipeline.ShouldProcessAsync(target, $"Export session {sessionId} as {Format} ({Quality})").ConfigureAwait(false)) return;
            var state = await connection.Client.GetStateAsync(sessionId, ct).ConfigureAwait(false);
            if (!state.CanExport)
                throw new NemoApiException(NemoErrorKind.InvalidRequest, "The timeline is empty: there is nothing to export",
                    advice: "Upload a file (Send-NemoVideo) and ask the agent for an edit (Send-NemoMessage) first.");
            var progress = new RelayProgress<JobProgress>(p => pipeline.WriteProgress(new ProgressRecord(3, "Exporting", p.Status) { PercentComplete = p.Percent ?? 0 }));
            var result = await new ExportJob(connection.Client).RunAsync(
                new ExportRequest(sessionId, state.Draft, target) { Format = Format, Quality = Quality, VideoInfos = state.VideoInfos, Overwrite = Force, Timeout = Timeout },
                progress, ct).ConfigureAwait(false);
            pipeline.WriteProgress(new ProgressRecord(3, "Exporting", "Done") { RecordType = ProgressRecordType.Completed });
            connection.RememberRender(result.Render.Id);
            foreach (var warning in result.Warnings) pipeline.WriteWarning(warning);
            pipeline.WriteObjectMadeOnPipelineThread(() =>
            {
                var output = PSObject.AsPSObject(result.File);
                output.Properties.Add(new PSNoteProperty("RenderId", result.Render.Id));
                output.Properties.Add(new PSNoteProperty("SessionId", sessionId));
                output.Properties.Add(new PSNoteProperty("Format", result.Facts.Describe()));
                output.Properties.Add(new PSNoteProperty("Duration", result.Facts.Duration));
                output.Properties.Add(new PSNoteProperty("FinishedLocally", result.FinishedLocally));
                return output;
            });
        }, OutFile);
    }
}
