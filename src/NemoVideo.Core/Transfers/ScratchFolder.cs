namespace NemoVideo.Transfers;

/// <summary>
/// A job's own folder in the temp folder for what it makes on the way (the audio taken out for an upload, a video's
/// parts), removed when the job ends. It holds an exclusive OS lock on a file inside it for as long as the job runs;
/// the lock dies with the process, so a run that was killed leaves a folder no one holds, and the next one made
/// removes it (<see cref="RemoveAbandoned"/>). A folder whose lock is held belongs to a live run and is left alone.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    private const string Prefix = "work-";
    /// <summary>The folders of sources sent in parts: kept while a rerun may need them, removed when untouched for <see cref="PartsKeptFor"/>.</summary>
    public const string PartsPrefix = "parts-";
    public static readonly TimeSpan PartsKeptFor = TimeSpan.FromDays(7);
    private const string LockName = ".nemo-lock";
    private readonly FileStream _lock;

    private ScratchFolder(string path, FileStream @lock) => (Path, _lock) = (path, @lock);

    /// <summary>The folder.</summary>
    public string Path { get; }

    /// <summary>Where every run's folders are made: NemoVideo under the user's temp folder.</summary>
    public static string DefaultRoot => System.IO.Path.Combine(System.IO.Path.GetTempPath(), "NemoVideo");

    /// <summary>A new folder under <paramref name="root"/> (the default one when null), after removing the folders of runs that died.</summary>
    public static ScratchFolder Create(string? root = null)
    {
        root ??= DefaultRoot;
        Directory.CreateDirectory(root);
        RemoveAbandoned(root);
        var path = System.IO.Path.Combine(root, Prefix + Guid.NewGuid().ToString("N").Substring(0, 12));
        Directory.CreateDirectory(path);
        var @lock = new FileStream(System.IO.Path.Combine(path, LockName), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        return new ScratchFolder(path, @lock);
    }

    /// <summary>A file name in the folder.</summary>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Removes the folders under <paramref name="root"/> that no live run holds; returns how many went.</summary>
    public static int RemoveAbandoned(string root)
    {
        if (!Directory.Exists(root)) return 0;
        var removed = 0;
        foreach (var dir in Directory.GetDirectories(root, Prefix + "*"))
        {
            var lockPath = System.IO.Path.Combine(dir, LockName);
            try
            {
                if (System.IO.File.Exists(lockPath))
                    using (new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None)) { } // held: a live run's
                else if (DateTime.UtcNow - Directory.GetCreationTimeUtc(dir) < TimeSpan.FromMinutes(1))
                    continue; // being made this moment, its lock not taken yet
                Directory.Delete(dir, recursive: true);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        foreach (var dir in Directory.GetDirectories(root, PartsPrefix + "*"))
        {
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) < PartsKeptFor) continue;
                Directory.Delete(dir, recursive: true);
                removed++;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return removed;
    }

    public void Dispose()
    {
        _lock.Dispose();
        try { Directory.Delete(Path, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
