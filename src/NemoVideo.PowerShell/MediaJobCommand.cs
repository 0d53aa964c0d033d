using System.Management.Automation;
using NemoVideo.Jobs;
using NemoVideo.Transfers;

namespace NemoVideo.PowerShell;

/// <summary>
/// What ConvertTo-NemoMp3 and Compress-NemoVideo share: files from the pipeline, -Path/-LiteralPath,
/// -Destination, -Force/-SkipExisting, -WhatIf, a throttled batch in the core with a progress bar per file,
/// and a non-terminating error per failed file.
/// </summary>
public abstract class MediaJobCommand : NemoCmdlet
{
    private readonly List<string> _sources = new();
    private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<NemoVideo.Jobs.PendingWork> _pending = new();
    private const string PendingSet = "PendingWork";

    /// <summary>Files to convert; wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>Files to convert, taken exactly as written (bound from FileInfo objects in the pipeline).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("PSPath", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Paid work from Get-NemoPendingWork, finished as first asked: its output and every parameter of the run that paid for it, with no new edit. Parameters given here that shape the output are ignored, with a warning.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PendingSet)]
    [ValidateNotNull]
    public NemoVideo.Jobs.PendingWork[]? PendingWork { get; set; }

    /// <summary>A folder for the results, or for a single input a file name. Default: beside each source.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Destination { get; set; }

    /// <summary>Overwrite existing output files.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Leave existing output files alone and go on with the others.</summary>
    [Parameter]
    public SwitchParameter SkipExisting { get; set; }

    /// <summary>How many files run at the same time, each in its own session.</summary>
    [Parameter]
    [ValidateRange(1, 32)]
    public int ThrottleLimit { get; set; } = 4;

    /// <summary>How long one render may take before it is cancelled: seconds (600), 10m or 00:10:00; at least 30 seconds.</summary>
    [Parameter]
    [RenderTimeoutTransformation]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The connection to use (from Connect-Nemo -PassThru); the current one by default.</summary>
    [Parameter]
    public NemoConnection? Session { get; set; }

    /// <summary>Cloud (NemoVideo) or Local (ffmpeg on this machine: nothing leaves it, no credits). Default: the connection's, else Cloud.</summary>
    [Parameter]
    public NemoEngine? Engine { get; set; }

    /// <summary>The output extension, with its dot.</summary>
    protected abstract string OutputExtension { get; }
    /// <summary>Put before the extension when the output would otherwise be the source itself.</summary>
    protected abstract string SameNameSuffix { get; }
    /// <summary>The progress bar's title.</summary>
    protected abstract string Activity { get; }
    /// <summary>What ShouldProcess says is about to happen.</summary>
    protected abstract string Describe(string output);
    /// <summary>The kind of request this cmdlet makes (<see cref="JobParameters.Kind"/>): pending work of another kind is not its to finish.</summary>
    protected abstract string RequestKind { get; }
    /// <summary>The core request for one file.</summary>
    protected abstract MediaJobRequest CreateRequest(string source, string output, bool overwrite, TimeSpan timeout);
    /// <summary>Notes added to each output FileInfo besides Source, Duration and SessionId.</summary>
    protected abstract void Describe(PSObject output, JobResult result);

    /// <summary>The type name put first on each result, which picks its default view (NemoVideo.Format.ps1xml): what was measured, not the plain file table.</summary>
    protected abstract string ResultTypeName { get; }

    /// <summary>Keeps a render id for -Id's tab completion (Get-NemoRender, Stop-NemoRender).</summary>
    private void RememberRender(string renderId) => (Session ?? ModuleState.Current)?.RememberRender(renderId);

    /// <summary>-WhatIf given, or $WhatIfPreference on.</summary>
    private bool WhatIf => (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var w) && w is SwitchParameter { IsPresent: true })
        || (!MyInvocation.BoundParameters.ContainsKey("WhatIf") && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue("WhatIfPreference")));

    protected override void BeginProcessing()
    {
        if (Force && SkipExisting)
            ThrowTerminatingError(new ErrorRecord(new PSArgumentException("-Force and -SkipExisting contradict each other; choose one."), "Nemo.ForceAndSkipExisting", ErrorCategory.InvalidArgument, null));
    }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == PendingSet)
        {
            foreach (var work in PendingWork ?? Array.Empty<NemoVideo.Jobs.PendingWork>())
                if (_seen.Add(work.Source + "\n" + work.Output)) _pending.Add(work);
            return;
        }
        var literal = ParameterSetName.EndsWith("LiteralPath", StringComparison.Ordinal); // a cmdlet's own sets end in the path kind they take
        foreach (var file in ResolveFiles(literal ? LiteralPath : Path, literal))
            if (_seen.Add(file)) _sources.Add(file);
    }

    protected override void EndProcessing()
    {
        var pending = ParameterSetName == PendingSet;
        // Paid work is the cloud's: it is finished there, whatever the engine.
        var engine = pending ? NemoEngine.Cloud : Engine ?? (Session ?? ModuleState.Current)?.DefaultEngine ?? NemoEngine.Cloud;
        var requests = pending ? PlanPending() : Plan(engine);
        if (WhatIf && _wouldRun > 0 && engine == NemoEngine.Cloud) SayCostUnderWhatIf();
        if (requests.Count == 0) return;
        MakeDestinationFolder();
        Func<MediaJobRequest, IProgress<JobProgress>, CancellationToken, Task<JobResult>> run;
        if (engine == NemoEngine.Local)
        {
            var local = new LocalJob(LocateFfmpeg());
            run = local.RunAsync;
        }
        else
        {
            var connection = Session ?? GetConnection();
            WarnWhenCreditsAreShort(connection, BatchPlan.FilesToSend(requests), BatchPlan.EditsToPay(requests));
            // What is paid for is written down, so a run that dies is picked up by the next without paying again.
            var cloud = new CloudJob(connection.Client) { Journal = new PaidWorkJournal(connection.Client.Environment.ConfigDirectory) };
            run = cloud.RunAsync;
        }
        var runner = new BatchRunner(run, ThrottleLimit);
        var observer = new Observer(this, requests);
        RunOrThrow((pipeline, ct) => runner.RunAsync(requests, observer.ReportingTo(pipeline), ct));
        WriteProgress(observer.Bars.Complete());
    }

    /// <summary>The planned files that will really run (past -WhatIf and -Confirm): their destination folder is made for them.</summary>
    private readonly List<PlannedFile> _willRun = new();

    /// <summary>A -Destination folder not there yet is made now, once some file will really be written into it.</summary>
    private void MakeDestinationFolder()
    {
        try { BatchPlan.MakeFolders(_willRun); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "Nemo.DestinationNotMade", ErrorCategory.WriteError, Destination)
            {
                ErrorDetails = new ErrorDetails($"The -Destination folder could not be made: {ex.Message}") { RecommendedAction = "Choose another -Destination, or make the folder first." },
            });
        }
        foreach (var folder in _willRun.Select(f => f.FolderToMake).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            WriteVerbose($"Made the destination folder '{folder}'.");
    }

    /// <summary>Files -WhatIf said would be converted, and the edits they need.</summary>
    private int _wouldRun, _wouldEdit;

    /// <summary>Reads the balance (free) and warns once when it cannot pay the edits; a failed read only says so.</summary>
    private void WarnWhenCreditsAreShort(NemoConnection connection, int files, int edits)
    {
        if (files == 0) return;
        var estimate = ReadEstimate(connection, files, edits);
        if (estimate is { Short: true })
            WriteWarning($"{estimate}: the rest will stop when the credits run out. Add credits at nemovideo.com, " +
                "convert fewer files at a time, or use -Engine Local (no credits).");
        else if (estimate != null && edits > files)
            WriteWarning($"Credits: {estimate}."); // more than one edit a file: said before the first is paid
        else if (estimate != null)
            WriteVerbose($"Credits: {estimate}.");
        else if (edits > files)
            WriteWarning($"{edits} edits for {files} {(files == 1 ? "file" : "files")}: a video over the service's limit goes in parts, an edit each.");
    }

    /// <summary>-WhatIf says the estimate too, from a connection that already holds a token: it never fetches one.</summary>
    private void SayCostUnderWhatIf()
    {
        var connection = Session ?? ModuleState.Current;
        if (connection?.Client.Tokens.Current == null)
        {
            WriteVerbose("No token at hand (Connect-Nemo makes one): the credit estimate is left out under -WhatIf.");
            return;
        }
        if (ReadEstimate(connection, _wouldRun, _wouldEdit) is CreditEstimate estimate)
            ShouldProcess(connection.BaseUri.ToString(), $"Spend credits: {estimate}" + (estimate.Short ? " (short)" : ""));
    }

    private CreditEstimate? ReadEstimate(NemoConnection connection, int files, int edits)
    {
        NemoVideo.Api.CreditBalance? balance = null;
        try { Run(async (_, ct) => balance = await connection.Client.GetCreditsAsync(ct).ConfigureAwait(false)); }
        catch (Exception ex) when (ex is NemoVideo.Api.NemoApiException or IOException or HttpRequestException)
        {
            WriteVerbose($"The credit balance could not be read ({ex.Message}); going on without an estimate.");
        }
        return balance is null ? null : CreditEstimate.For(files, balance, edits: edits);
    }

    private Local.FfmpegTools LocateFfmpeg()
    {
        try
        {
            return Local.FfmpegTools.Locate();
        }
        catch (Local.LocalEngineException ex)
        {
            ThrowTerminatingError(ToErrorRecord(ex, null));
            throw; // not reached
        }
    }

    /// <summary>Parameters that do not shape a request: given with pending work, they are not said to be ignored.</summary>
    private static readonly HashSet<string> NotShaping = new(StringComparer.OrdinalIgnoreCase)
    {
        PendingSet, nameof(ThrottleLimit), nameof(Session), "WhatIf", "Confirm", "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction",
        "ProgressAction", "ErrorVariable", "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable",
    };

    /// <summary>The cmdlet that makes requests of <paramref name="kind"/>.</summary>
    private static string CmdletOf(string kind) => kind == JobParameters.Mp3Kind ? "ConvertTo-NemoMp3" : kind == JobParameters.CompressKind ? "Compress-NemoVideo" : kind;

    /// <summary>
    /// Pending work is finished as first asked: each entry's own request, output and parameters, so its journal key is
    /// the same and no edit is paid again. An entry that cannot be finished is an error of its own; the others go on.
    /// </summary>
    private List<MediaJobRequest> PlanPending()
    {
        var ignored = MyInvocation.BoundParameters.Keys.Where(k => !NotShaping.Contains(k)).Select(k => "-" + k).ToList();
        if (ignored.Count > 0)
            WriteWarning($"Pending work is finished as first asked (its output and every parameter of the run that paid for it): {string.Join(", ", ignored)} given here {(ignored.Count == 1 ? "is" : "are")} ignored.");
        var requests = new List<MediaJobRequest>();
        foreach (var work in _pending)
        {
            if (WhyUnfinishable(work) is ErrorRecord error) { WriteError(error); continue; }
            var request = work.Parameters!.ToRequest(work.Source);
            var exists = File.Exists(request.OutputPath);
            if (!ShouldProcess(work.Source, $"Finish the work paid for on {work.Started.ToLocalTime():yyyy-MM-dd HH:mm} ({request.Instruction.TrimEnd('.')}) into '{request.OutputPath}'"
                                             + (exists ? " (overwriting the existing file)" : "")))
            {
                if (WhatIf) _wouldRun++;
                continue;
            }
            var folder = System.IO.Path.GetDirectoryName(request.OutputPath);
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                try { Directory.CreateDirectory(folder); WriteVerbose($"Made the destination folder '{folder}'."); }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    WriteError(new ErrorRecord(ex, "Nemo.DestinationNotMade", ErrorCategory.WriteError, work));
                    continue;
                }
            }
            requests.Add(request);
        }
        return requests;
    }

    /// <summary>Why <paramref name="work"/> cannot be finished by this cmdlet, as its error; null when it can.</summary>
    private ErrorRecord? WhyUnfinishable(NemoVideo.Jobs.PendingWork work)
    {
        var cmdlet = MyInvocation.MyCommand.Name;
        ErrorRecord Error(string id, ErrorCategory category, string message, string advice) =>
            new(new InvalidOperationException(message), id, category, work) { ErrorDetails = new ErrorDetails(message) { RecommendedAction = advice } };
        if (work.Parameters is null)
            return Error("Nemo.PendingWorkWithoutRequest", ErrorCategory.InvalidData,
                $"The pending work on '{work.Source}' was written down by an earlier version, which did not keep its request, so it cannot be finished from here.",
                "Run the command that paid for it again on that file, with the same parameters and -Destination: it picks the work up without a new edit.");
        if (work.Parameters.Kind != RequestKind)
            return Error("Nemo.PendingWorkOtherKind", ErrorCategory.InvalidArgument,
                $"The pending work on '{work.Source}' was paid for by {CmdletOf(work.Parameters.Kind)}, not {cmdlet}: {cmdlet} cannot finish it.",
                $"Pipe it into {CmdletOf(work.Parameters.Kind)}: Get-NemoPendingWork | Where-Object Kind -eq {work.Parameters.Kind} | {CmdletOf(work.Parameters.Kind)}");
        var source = new FileInfo(work.Source);
        if (!source.Exists)
            return Error("Nemo.PendingWorkSourceGone", ErrorCategory.ObjectNotFound,
                $"'{work.Source}' is gone: the work paid for on it cannot be finished.",
                "Put the file back where it was, unchanged, and pipe the pending work in again.");
        if (source.Length != work.SourceLength || source.LastWriteTimeUtc != work.SourceLastWriteUtc)
            return Error("Nemo.PendingWorkSourceChanged", ErrorCategory.InvalidData,
                $"'{work.Source}' changed (size or last write time) since the work on it was paid for: that work was for the file as it was, and cannot be finished.",
                $"Convert the file as it is now with {cmdlet} (a new edit), or put back the file as it was.");
        return null;
    }

    /// <summary>The core decides each output (<see cref="BatchPlan"/>); here each decision is said, and ShouldProcess asked, before any work.</summary>
    private List<MediaJobRequest> Plan(NemoEngine engine)
    {
        var destination = Destination is null ? null : ToFileSystemPath(Destination) + (Destination.EndsWith("/") || Destination.EndsWith("\\") ? System.IO.Path.DirectorySeparatorChar.ToString() : "");
        IReadOnlyList<PlannedFile> plan;
        try { plan = BatchPlan.Decide(_sources, destination, OutputExtension, SameNameSuffix, Force, SkipExisting); }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "Nemo.DestinationNotAFolder", ErrorCategory.InvalidArgument, Destination));
            throw;
        }
        var requests = new List<MediaJobRequest>();
        foreach (var file in plan)
        {
            var (source, output) = (file.Source, file.Output);
            switch (file.Action)
            {
                case PlannedAction.SameOutput:
                    WriteError(new ErrorRecord(new IOException($"'{source}' would be written to '{output}', like another input; rename one or convert it separately."),
                        "Nemo.SameOutput", ErrorCategory.ResourceExists, new FileInfo(source)));
                    continue;
                // Under -WhatIf what would happen is said, not raised as an error.
                case PlannedAction.Skip:
                    if (WhatIf) ShouldProcess(source, $"Skip: '{output}' exists (-SkipExisting)"); else WriteVerbose($"Skipping '{source}': '{output}' exists.");
                    continue;
                case PlannedAction.Refuse:
                    if (WhatIf) ShouldProcess(source, $"Refuse: '{output}' exists (add -Force to overwrite it or -SkipExisting to leave it)");
                    else WriteError(ToErrorRecord(new NemoVideo.Transfers.OutputExistsException(output), new FileInfo(source)));
                    continue;
            }
            var request = CreateRequest(source, output, Force, Timeout);
            // A video over the service's limit goes in parts, an edit each: said before the first is paid, -WhatIf or not.
            var edits = engine == NemoEngine.Cloud ? request.EditsNeeded() : 1;
            var parts = edits > 1 ? $" in {edits} parts ({edits} edits: the file is over the service's 500 MB limit)" : "";
            var folder = file.FolderToMake is null ? "" : $" (making the folder '{file.FolderToMake}')";
            if (!ShouldProcess(source, Describe(output) + parts + (file.Exists ? " (overwriting the existing file)" : "") + folder))
            {
                if (WhatIf) { _wouldRun++; _wouldEdit += edits; }
                continue;
            }
            _willRun.Add(file);
            requests.Add(request);
        }
        return requests;
    }

    /// <summary>
    /// Carries the batch's reports to the pipeline thread through the run's <see cref="PipelineWriter"/>. The batch
    /// reports from several pool threads at once: one lock keeps the bars' state whole and each report's writes together.
    /// </summary>
    private sealed class Observer : IBatchObserver
    {
        private readonly MediaJobCommand _cmd;
        private readonly IReadOnlyList<MediaJobRequest> _requests;
        private readonly object _gate = new();
        private PipelineWriter? _pipeline;

        public Observer(MediaJobCommand cmd, IReadOnlyList<MediaJobRequest> requests)
        {
            _cmd = cmd;
            _requests = requests;
            Bars = new BatchProgress(cmd.Activity, requests.Select(r => System.IO.Path.GetFileName(r.SourcePath)).ToList());
        }

        /// <summary>Touched under the lock while the batch runs; on the pipeline thread once it has ended.</summary>
        public BatchProgress Bars { get; }

        /// <summary>This observer, writing through <paramref name="pipeline"/> (the writer exists only while the work runs).</summary>
        public Observer ReportingTo(PipelineWriter pipeline)
        {
            _pipeline = pipeline;
            return this;
        }

        private PipelineWriter Pipeline => _pipeline ?? throw new InvalidOperationException("The observer reports only while its batch runs.");

        /// <summary>The files started so far: a stopped batch says which of the rest were never started.</summary>
        private readonly HashSet<int> _started = new();

        public void Started(int index)
        {
            lock (_gate)
            {
                _started.Add(index);
                Pipeline.WriteVerbose($"Starting '{_requests[index].SourcePath}'.");
            }
        }

        public void Progress(int index, JobProgress progress)
        {
            lock (_gate)
                foreach (var record in Bars.Update(index, progress)) Pipeline.WriteProgress(record);
        }

        public void Completed(int index, JobResult result)
        {
            lock (_gate)
            {
                foreach (var record in Bars.Finish(index)) Pipeline.WriteProgress(record);
                foreach (var note in result.Notes) Pipeline.WriteVerbose(note);
                foreach (var warning in result.Warnings) Pipeline.WriteWarning(warning);
                Pipeline.WriteObjectMadeOnPipelineThread(() =>
                {
                    // What Get-Item returns (the provider's notes drive the file-system view: Mode, size, grouping by folder), plus ours.
                    var output = _cmd.SessionState.InvokeProvider.Item.Get(new[] { result.Output.FullName }, true, true).FirstOrDefault() ?? PSObject.AsPSObject(result.Output);
                    output.Properties.Add(new PSNoteProperty("Source", result.Source));
                    output.Properties.Add(new PSNoteProperty("Duration", result.Duration));
                    output.Properties.Add(new PSNoteProperty("SourceDuration", result.SourceDuration));
                    output.Properties.Add(new PSNoteProperty("SessionId", result.SessionId));
                    output.Properties.Add(new PSNoteProperty("Engine", result.Engine));
                    output.Properties.Add(new PSNoteProperty("FinishedLocally", result.FinishedLocally));
                    _cmd.Describe(output, result);
                    foreach (var renderId in result.RenderId.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries)) _cmd.RememberRender(renderId.Trim());
                    output.TypeNames.Insert(0, _cmd.ResultTypeName);
                    return output;
                });
            }
        }

        public void Failed(int index, Exception error)
        {
            lock (_gate)
            {
                foreach (var record in Bars.Finish(index)) Pipeline.WriteProgress(record);
                // Another run has this output: it is doing the work, so this one says so and goes on with the rest.
                if (error is NemoVideo.Transfers.OutputClaimedException claimed) { Pipeline.WriteWarning(claimed.Message); return; }
                // Made meanwhile by another run (it held the claim until it committed): what -SkipExisting asks for.
                if (error is NemoVideo.Transfers.OutputExistsException && _cmd.SkipExisting) { Pipeline.WriteVerbose($"Skipping '{_requests[index].SourcePath}': '{_requests[index].OutputPath}' was made meanwhile."); return; }
                Pipeline.WriteError(ToErrorRecord(error, new FileInfo(_requests[index].SourcePath)));
            }
        }

        public void Stopped(IReadOnlyList<int> indexes, NemoVideo.Api.NemoApiException cause)
        {
            var files = indexes.Select(i => _requests[i].SourcePath).ToArray();
            string message;
            lock (_gate)
            {
                if (cause.Kind == NemoVideo.Api.NemoErrorKind.Outage)
                {
                    var notStarted = indexes.Where(i => !_started.Contains(i)).Select(i => System.IO.Path.GetFileName(_requests[i].SourcePath)).ToArray();
                    var met = indexes.Where(_started.Contains).Select(i => System.IO.Path.GetFileName(_requests[i].SourcePath)).ToArray();
                    message = $"{files.Length} file(s) were not converted because the service stopped answering and did not come back in time. "
                        + (notStarted.Length > 0 ? $"Not started: {string.Join(", ", notStarted)}. " : "")
                        + (met.Length > 0 ? $"Under way when it stopped: {string.Join(", ", met)}; whatever of theirs was already paid for waits in Get-NemoPendingWork and is picked up, without paying again, when the command is run again. " : "")
                        + $"{cause.ServerMessage.TrimEnd('.')}.";
                }
                else
                {
                    var why = cause.Kind == NemoVideo.Api.NemoErrorKind.PlanRequired
                        ? "the service refused to export with this token (HTTP 402); the rest were not started, as each would pay for an edit it could not export"
                        : "the account ran out of credits; the rest were not started";
                    message = $"{files.Length} file(s) were not converted because {why}: {string.Join(", ", files.Select(System.IO.Path.GetFileName))}. {cause.ServerMessage.TrimEnd('.')}.";
                }
                foreach (var i in indexes) foreach (var record in Bars.Finish(i)) Pipeline.WriteProgress(record);
                Pipeline.WriteError(new ErrorRecord(new InvalidOperationException(message, cause), "Nemo.BatchStopped",
                    cause.Kind switch
                    {
                        NemoVideo.Api.NemoErrorKind.PlanRequired => ErrorCategory.PermissionDenied,
                        NemoVideo.Api.NemoErrorKind.Outage => ErrorCategory.ConnectionError,
                        _ => ErrorCategory.QuotaExceeded,
                    }, files)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = cause.Kind == NemoVideo.Api.NemoErrorKind.Outage ? ErrorMapping.Classify(cause).Advice : cause.Advice },
                });
            }
        }
    }
}
