using System.Diagnostics;

namespace NemoVideo.Transfers;

/// <summary>Another process is making this output: not an error, that run is doing the work.</summary>
public sealed class OutputClaimedException : IOException
{
    public OutputClaimedException(string target, string? owner)
        : base($"'{target}' is being made by another process{(owner is null ? "" : $" ({owner})")}; it was left to that run.") =>
        (Target, Owner) = (target, owner);

    public string Target { get; }
    /// <summary>The other process as it described itself (id and start), if it could be read.</summary>
    public string? Owner { get; }
}

/// <summary>
/// One process per output: an exclusive OS lock on a small file beside the target (flock on Unix, a sharing lock on
/// Windows), held from before the first paid step until the output is committed or given up. The lock dies with the
/// process, so a crash leaves no claim, only a file the next claimant reuses. Holding it, the temporary files of
/// dead runs beside the target are removed: no live process can own them.
/// </summary>
public sealed class OutputClaim : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _lockPath;
    private readonly string _ownerPath;

    private OutputClaim(FileStream @lock, string lockPath, string ownerPath) => (_lock, _lockPath, _ownerPath) = (@lock, lockPath, ownerPath);

    /// <summary>
    /// Claims <paramref name="target"/> or throws <see cref="OutputClaimedException"/> naming the process that has it.
    /// <paramref name="ownTemp"/> is the caller's own temporary file (made first, so the folder's checks come first), kept.
    /// </summary>
    public static OutputClaim Take(string target, string? ownTemp = null)
    {
        var full = Path.GetFullPath(target);
        var dir = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var lockPath = Path.Combine(dir, "." + name + ".nemo-claim");
        var ownerPath = lockPath + ".owner";
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            throw new OutputClaimedException(full, ReadOwner(ownerPath));
        }
        catch (UnauthorizedAccessException) when (File.Exists(lockPath))
        {
            throw new OutputClaimedException(full, ReadOwner(ownerPath)); // Windows: a claim file another process is closing
        }
        var claim = new OutputClaim(stream, lockPath, ownerPath);
        try
        {
            using (var self = Process.GetCurrentProcess())
                File.WriteAllText(ownerPath, $"process {self.Id} on {Environment.MachineName}, since {DateTime.Now:yyyy-MM-dd HH:mm}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // the claim holds without the note
        OutputFile.RemoveTemporaries(full, ownTemp); // holding the claim, only dead runs can have left them
        return claim;
    }

    private static string? ReadOwner(string ownerPath)
    {
        try { return File.Exists(ownerPath) ? File.ReadAllText(ownerPath).Trim() : null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return null; }
    }

    public void Dispose()
    {
        try { File.Delete(_ownerPath); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        try { File.Delete(_lockPath); } catch (IOException) { } catch (UnauthorizedAccessException) { } // before the lock goes, so no one reuses a file being removed
        _lock.Dispose();
    }
}
