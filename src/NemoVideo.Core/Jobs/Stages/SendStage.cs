namespace NemoVideo.Jobs;

/// <summary>A new session, and the source uploaded into it (streamed from disk, progress in bytes).</summary>
internal sealed class SendStage : CloudJob.SessionStage
{
    public override string Name => "send";

    public override async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.Render != null) return; // picked up from an earlier run
        job.Report(JobStage.Starting, null, "Creating a session");
        var session = await job.Api.CreateSessionAsync("project", job.Request.Language, ct).ConfigureAwait(false);
        job.SessionId = session.SessionId;
        var name = job.Source.Name;
        job.Report(JobStage.Uploading, 0, $"Uploading {name}");
        var upload = await job.Api.UploadFilesAsync(session.SessionId, new[] { job.Source.FullName },
            job.Progress is null ? null : new RelayProgress<Transfers.TransferProgress>(p => job.Report(JobStage.Uploading, p.Percent, $"Uploading {name}")), ct).ConfigureAwait(false);
        job.Uploads = upload.Files;
        job.SourceDuration = upload.Files.FirstOrDefault()?.Duration;
        job.Request = job.Request.AfterUpload(job, upload.Files.FirstOrDefault()); // what only the service could measure, before the paid edit
    }
}
