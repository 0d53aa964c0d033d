using System.Security.Cryptography;
using System.Text;
using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// A source over the service's limit, of a kind that sends it in parts: split at keyframes without re-encoding, each
/// part sent as its own cloud job (a few at once; each journaled, so a run killed halfway pays again only for parts
/// not yet edited), and the results joined here into the output, which the stages after judge as they would a render.
/// The parts live in a folder named after the source and the output, kept until the job is delivered, so a rerun
/// finds the same parts and the same journal entries; a part already made is not sent again.
/// </summary>
internal sealed class InPartsStage : IJobStage
{
    private const string SplitDone = "parts.done";
    private readonly CloudJob _engine;

    public InPartsStage(CloudJob engine) => _engine = engine;

    public string Name => "send in parts";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        if (job.OutputInHand || !job.Request.SendsInParts(job.Source)) return;
        var name = job.Source.Name;
        var tools = job.LocateFfmpeg() ?? throw new MediaInputException(InputProblem.TooLarge, job.Source.FullName,
            $"'{name}' is {PrepareUploadStage.Megabytes(job.Source.Length)}, over the service's {MediaRules.MaxUploadBytes / 1048576} MB limit; it can go in parts, "
            + "split here with ffmpeg, which is not on this machine; nothing was sent") { Advice = LocalEngineException.InstallAdvice };
        var folder = FolderFor(job);
        Transfers.ScratchFolder.RemoveAbandoned(Path.GetDirectoryName(folder)!); // parts of sources no run came back for
        job.SourceDuration ??= (await job.TryProbeSourceAsync(ct).ConfigureAwait(false))?.Duration;

        var parts = await SplitAsync(job, tools, folder, ct).ConfigureAwait(false);
        var outputs = parts.Select(p => Path.Combine(folder, Path.GetFileNameWithoutExtension(p) + ".made.mp4")).ToList();
        var results = new JobResult?[parts.Count];
        var gate = new SemaphoreSlim(Math.Max(1, _engine.PartsAtOnce));
        job.Report(JobStage.Uploading, 0, $"Sending {name} in {parts.Count} parts ({parts.Count} edits)");
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct); // a part that fails stops the others: nothing more is paid
        async Task SendAsync(int i)
        {
            if (File.Exists(outputs[i])) return; // made by an earlier run, judged then
            await gate.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                var label = $"{name}, part {i + 1} of {parts.Count}";
                var progress = job.Progress is null ? null : new RelayProgress<JobProgress>(p => job.Report(p.Stage, p.Percent, $"{label}: {p.Status}"));
                results[i] = await _engine.RunAsync(job.Request.PartRequest(parts[i], outputs[i]), progress, stop.Token).ConfigureAwait(false);
            }
            catch
            {
                stop.Cancel();
                throw;
            }
            finally { gate.Release(); }
        }
        var all = Task.WhenAll(Enumerable.Range(0, parts.Count).Select(SendAsync));
        try { await all.ConfigureAwait(false); }
        catch (Exception ex)
        {
            // The split parts are as big as the source and cheap to make again (the same cuts, the same journal keys):
            // they go; the parts made (small, paid for) stay for the rerun.
            foreach (var part in parts) TryDeleteFile(part);
            if (ex is OperationCanceledException && !ct.IsCancellationRequested
                && all.Exception?.InnerExceptions.FirstOrDefault(e => e is not OperationCanceledException) is Exception cause)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(cause).Throw(); // the part that failed, not the ones it stopped
            throw;
        }

        job.Report(JobStage.Encoding, 0, $"Joining the {parts.Count} parts of {name}");
        await job.Request.JoinPartsAsync(job, tools, outputs, ct).ConfigureAwait(false);
        var made = results.Where(r => r != null).ToList();
        job.SessionId = string.Join(", ", made.Select(r => r!.SessionId).Where(s => s.Length > 0));
        job.PartRenderIds = made.Select(r => r!.RenderId).Where(s => s.Length > 0).ToList();
        job.Warnings.AddRange(made.SelectMany(r => r!.Warnings));
        if (made.Count < parts.Count)
            job.Note = $"{parts.Count - made.Count} of the {parts.Count} parts of '{name}' were made by an earlier run: not paid again.";
        job.MadeInParts = true;
        job.OnDelivered(() => TryDelete(folder));
    }

    /// <summary>The parts, split once: a rerun after a kill finds them (and the journal entries keyed on them) as they were.</summary>
    private static async Task<IReadOnlyList<string>> SplitAsync(JobContext job, FfmpegTools tools, string folder, CancellationToken ct)
    {
        var marker = Path.Combine(folder, SplitDone);
        if (File.Exists(marker))
        {
            var known = File.ReadAllLines(marker).Where(l => l.Length > 0).Select(l => Path.Combine(folder, l)).ToList();
            if (known.Count > 0 && known.All(File.Exists)) return known;
        }
        Directory.CreateDirectory(folder);
        var label = $"Splitting {job.Source.Name} at keyframes";
        job.Report(JobStage.Starting, null, label);
        var parts = await VideoParts.SplitAsync(tools, job.Source.FullName, MediaRules.MaxUploadBytes, folder,
            new RelayProgress<double>(share => job.Report(JobStage.Starting, null, $"{label} ({share:P0})")), ct).ConfigureAwait(false);
        // The journal keys a source by its path, length and time: the parts carry the source's, so a split made again is the same.
        foreach (var part in parts) File.SetLastWriteTimeUtc(part.Path, job.Source.LastWriteTimeUtc);
        File.WriteAllLines(marker, parts.Select(p => Path.GetFileName(p.Path)));
        return parts.Select(p => p.Path).ToList();
    }

    /// <summary>One folder for this source (as it is on disk) and this output, under the temp folder's NemoVideo.</summary>
    private static string FolderFor(JobContext job)
    {
        var identity = string.Join("\n", job.Source.FullName, job.Source.Length, job.Source.LastWriteTimeUtc.Ticks, Path.GetFullPath(job.Request.OutputPath), job.Request.Instruction);
        using var sha = SHA256.Create();
        var hash = BitConverter.ToString(sha.ComputeHash(Encoding.UTF8.GetBytes(identity))).Replace("-", "").Substring(0, 16).ToLowerInvariant();
        return Path.Combine(job.ScratchRoot ?? Transfers.ScratchFolder.DefaultRoot, Transfers.ScratchFolder.PartsPrefix + hash);
    }

    private static void TryDeleteFile(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
