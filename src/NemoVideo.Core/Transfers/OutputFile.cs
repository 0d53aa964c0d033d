namespace NemoVideo.Transfers;

/// <summary>
/// The one way the product writes a file: into a temporary file beside the target (so the rename is atomic
/// and an unwritable folder shows before any work), checked by the caller, then renamed over the target.
/// Disposed without <see cref="Commit"/>, it leaves nothing behind. Downloads, the local engine and the
/// token cache all write through it.
/// </summary>
public sealed class OutputFile : IDisposable
{
    private bool _committed;

    private OutputFile(string target, string temp, bool overwrite)
    {
        Target = target;
        TempPath = temp;
        Overwrite = overwrite;
    }

    /// <summary>The file this will become.</summary>
    public string Target { get; }
    /// <summary>Where the bytes go until <see cref="Commit"/>.</summary>
    public string TempPath { get; }
    public bool Overwrite { get; }

    /// <summary>
    /// Reserves a temporary file beside <paramref name="target"/>: refuses a missing folder, a folder as target
    /// and (without <paramref name="overwrite"/>) an existing file; an unwritable folder fails here, before any work,
    /// as an <see cref="UnauthorizedAccessException"/> naming the folder.
    /// </summary>
    public static OutputFile Create(string target, bool overwrite, bool hidden = true)
    {
        var full = Path.GetFullPath(target);
        OutputPaths.CheckWritable(full, overwrite);
        var dir = Path.GetDirectoryName(full)!;
        var temp = TempName(full, hidden);
        try
        {
            using (new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None)) { }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"Cannot write to the folder '{dir}': {ex.Message}", ex);
        }
        return new OutputFile(full, temp, overwrite);
    }

    /// <summary>A new temporary name beside <paramref name="target"/>, of the form <see cref="RemoveTemporaries"/> knows.</summary>
    private static string TempName(string target, bool hidden) =>
        Path.Combine(Path.GetDirectoryName(target)!, (hidden ? "." : "") + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");

    /// <summary>
    /// Removes the temporary files this class made for <paramref name="target"/> (hidden or not) but <paramref name="keep"/>.
    /// Only for a caller that knows no live process is writing them: one that holds the target's claim or lock.
    /// </summary>
    internal static void RemoveTemporaries(string target, string? keep = null)
    {
        var full = Path.GetFullPath(target);
        var dir = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var kept = keep is null ? null : Path.GetFullPath(keep);
        try
        {
            foreach (var pattern in new[] { "." + name + ".????????.partial", name + ".????????.partial" })
                foreach (var stale in Directory.EnumerateFiles(dir, pattern))
                {
                    if (string.Equals(Path.GetFullPath(stale), kept, StringComparison.Ordinal)) continue;
                    try { File.Delete(stale); }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
                }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // the folder itself went
    }

    /// <summary>Opens the temporary file for writing from the start.</summary>
    public FileStream OpenWrite(int bufferSize = 1) => new(TempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize, FileOptions.None);

    /// <summary>
    /// Rewrites the temporary file through <paramref name="transform"/> (from the bytes as they are to the new ones) into
    /// a second temporary file beside it, which then takes the first one's place: a failure leaves the first as it was.
    /// </summary>
    public void Rewrite(Action<Stream, Stream> transform)
    {
        if (_committed) throw new InvalidOperationException("The output was committed already.");
        var next = TempName(Target, hidden: true);
        try
        {
            using (var from = new FileStream(TempPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
            using (var to = new FileStream(next, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                transform(from, to);
            File.Replace(next, TempPath, null); // one step: there is no moment without the file
        }
        finally
        {
            try { if (File.Exists(next)) File.Delete(next); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    /// <summary>Renames the temporary file over the target; from now on the file is the caller's.</summary>
    public FileInfo Commit()
    {
        if (_committed) throw new InvalidOperationException("The output was committed already.");
        if (File.Exists(Target))
        {
            if (!Overwrite) throw new IOException($"'{Target}' appeared while the file was being made; it was left as it is.");
            File.Replace(TempPath, Target, null);
        }
        else
        {
            File.Move(TempPath, Target);
        }
        _committed = true;
        return new FileInfo(Target);
    }

    public void Dispose()
    {
        if (_committed) return;
        try { if (File.Exists(TempPath)) File.Delete(TempPath); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
