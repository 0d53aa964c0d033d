using System.Management.Automation;
using NemoVideo.Api;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Uploads videos, images or audio to a NemoVideo session, from disk or by address.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Send, "NemoVideo", DefaultParameterSetName = "Path")]
[OutputType(typeof(UploadedAsset))]
public sealed class SendNemoVideoCommand : SessionCmdlet
{
    /// <summary>Files to upload; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Files to upload, taken exactly as written (bound from FileInfo objects in the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>http(s) addresses the service fetches the files from.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Uri")]
    [ValidateNotNullOrEmpty]
    public Uri[]? Uri { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Uri")
        {
            RunOrThrow(async (pipeline, ct) =>
            {
                var (connection, sessionId) = await ResolveSessionAsync(ct).ConfigureAwait(false);
                var result = await connection.Client.UploadUrlsAsync(sessionId, Uri!, ct).ConfigureAwait(false);
                foreach (var asset in result.Files) pipeline.WriteObject(asset);
            }, Uri);
            return;
        }
        var literal = ParameterSetName == "LiteralPath";
        foreach (var file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            RunOrWriteError(async (pipeline, ct) => // one bad file does not stop the others
            {
                var (connection, sessionId) = await ResolveSessionAsync(ct).ConfigureAwait(false);
                var name = System.IO.Path.GetFileName(file);
                var progress = new Jobs.RelayProgress<Transfers.TransferProgress>(p => pipeline.WriteProgress(
                    new ProgressRecord(1, "Uploading to NemoVideo", $"{name}: {p.BytesTransferred / 1048576.0:0.0} of {(p.TotalBytes ?? 0) / 1048576.0:0.0} MB")
                    { PercentComplete = p.Percent ?? 0 }));
                var result = await connection.Client.UploadFilesAsync(sessionId, new[] { file }, progress, ct).ConfigureAwait(false);
                pipeline.WriteProgress(new ProgressRecord(1, "Uploading to NemoVideo", "Done") { RecordType = ProgressRecordType.Completed });
                foreach (var asset in result.Files) pipeline.WriteObject(asset);
            }, new FileInfo(file));
        }
    }
}
