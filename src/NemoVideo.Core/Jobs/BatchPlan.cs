using NemoVideo.Api;
using NemoVideo.Media;
using NemoVideo.Transfers;

namespace NemoVideo.Jobs;

/// <summary>What becomes of one source of a batch, decided before any work.</summary>
public enum PlannedAction
{
    /// <summary>Made (or, when it exists, overwritten: <see cref="PlannedFile.Exists"/>).</summary>
    Run,
    /// <summary>Its output exists and the batch leaves existing outputs alone.</summary>
    Skip,
    /// <summary>Its output exists and overwriting was not asked: an error for this file, the rest go on.</summary>
    Refuse,
    /// <summary>Another source of the batch would be written to the same output.</summary>
    SameOutput,
}

/// <summary>One source of a batch with its output and what becomes of it.</summary>
public sealed class PlannedFile
{
    internal PlannedFile(string source, string output, PlannedAction action, bool exists, string? folderToMake)
    {
        Source = source;
        Output = output;
        Action = action;
        Exists = exists;
        FolderToMake = folderToMake;
    }

    public string Source { get; }
    public string Output { get; }
    public PlannedAction Action { get; }
    /// <summary>The output exists now.</summary>
    public bool Exists { get; }
    /// <summary>
    /// The destination folder this output goes into when it is not there yet: made by <see cref="BatchPlan.MakeFolders"/>
    /// just before the work, and only if the file's job really runs (never under -WhatIf). Null when nothing is to be made.
    /// </summary>
    public string? FolderToMake { get; }
}

/// <summary>
/// A batch's outputs decided before any work: where each source's result goes, which would collide, which exist
/// (skipped, refused or overwritten, as asked), and what the files to send would cost against the balance.
/// </summary>
public static class BatchPlan
{
    /// <summary>
    /// Each source's output and action. A destination that is not there yet is a folder to make when its name ends in
    /// a separator, or when there are several sources (unless its name ends in the output's extension: that names a
    /// file); with one source and no separator it is the output's file name. A destination that is an existing file,
    /// or names one, while there are several sources is an <see cref="ArgumentException"/> for the whole batch.
    /// </summary>
    public static IReadOnlyList<PlannedFile> Decide(IReadOnlyList<string> sources, string? destination, string extension, string sameNameSuffix,
        bool overwrite, bool skipExisting)
    {
        var folderToMake = MissingFolder(destination, extension, sources.Count);
        if (folderToMake != null) destination = folderToMake + Path.DirectorySeparatorChar;
        var outputs = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var plan = new List<PlannedFile>(sources.Count);
        foreach (var source in sources)
        {
            var output = OutputPaths.Resolve(source, destination, extension, sources.Count == 1, sameNameSuffix);
            var exists = File.Exists(output);
            var action = !outputs.Add(output) ? PlannedAction.SameOutput
                : exists && !overwrite ? (skipExisting ? PlannedAction.Skip : PlannedAction.Refuse)
                : PlannedAction.Run;
            plan.Add(new PlannedFile(source, output, action, exists, folderToMake));
        }
        return plan;
    }

    /// <summary>Makes the folders the files about to run need (<see cref="PlannedFile.FolderToMake"/>); a folder there already is left as it is.</summary>
    public static void MakeFolders(IEnumerable<PlannedFile> files)
    {
        foreach (var folder in files.Select(f => f.FolderToMake).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase))
            Directory.CreateDirectory(folder);
    }

    /// <summary>The full path of the destination when it means a folder that is not there yet; otherwise null.</summary>
    private static string? MissingFolder(string? destination, string extension, int sources)
    {
        if (string.IsNullOrEmpty(destination)) return null;
        var full = Path.GetFullPath(destination);
        var trimmed = full.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        if (trimmed.Length == 0 || Directory.Exists(trimmed) || File.Exists(trimmed)) return null;
        var endsInSeparator = destination!.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
        var namesAFile = trimmed.EndsWith(extension, StringComparison.OrdinalIgnoreCase);
        return endsInSeparator || (sources > 1 && !namesAFile) ? trimmed : null;
    }

    /// <summary>
    /// How many of the requests would be paid for on the cloud (one edit each): those whose source passes the job's own
    /// first check, so a batch of bad files sends nothing, not even the balance read (see <see cref="CreditEstimate"/>).
    /// </summary>
    public static int FilesToSend(IEnumerable<MediaJobRequest> requests) => requests.Count(WouldUpload);

    /// <summary>The edits those files need: one each, one a part for a video sent in parts (<see cref="MediaJobRequest.EditsNeeded"/>).</summary>
    public static int EditsToPay(IEnumerable<MediaJobRequest> requests) => requests.Where(WouldUpload).Sum(r => r.EditsNeeded());

    private static bool WouldUpload(MediaJobRequest request)
    {
        try { MediaRules.CheckSource(request.SourcePath, request.AcceptedExtensions); return true; }
        catch (MediaInputException) { return false; }
    }
}
