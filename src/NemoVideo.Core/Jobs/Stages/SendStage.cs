namespace NemoVideo.Jobs;

/// <summary>A new session, and what the job sends (the source, or what the kind made of it) uploaded into it (streamed from disk, progress in bytes).</summary>
internal sealed class SendStage : CloudJob.SessionStage
{
    public override string Name => "send";

    public override async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.OutputInHand) return; // picked up from an earlier run, or made in parts
        job.Report(JobStage.Starting, null, "Creating a session");
        var session = await job.Api.CreateSessionAsync("project", job.Request.Language, ct).ConfigureAwait(false);
        job.SessionId = session.SessionId;
        var sent = job.Upload ?? job.Source;
        var name = sent.FullName == job.Source.FullName ? job.Source.Name : $"{sent.Name} from {job.Source.Name}";
        job.Report(JobStage.Uploading, 0, $"Uploading {name}");
        var upload = await job.Api.UploadFilesAsync(session.SessionId, new[] { sent.FullName },
            job.Progress is null ? null : new RelayProgress<Transfers.TransferProgress>(p => job.Report(JobStage.Uploading, p.Percent, $"Uploading {name}")), ct).ConfigureAwait(false);
        job.Uploads = upload.Files;
        job.SourceDuration ??= upload.Files.FirstOrDefault()?.Duration; // the source's own length when the kind measured it here
        job.Request = job.Request.AfterUpload(job, upload.Files.FirstOrDefault()); // what only the service could measure, before the paid edit
    }
}
