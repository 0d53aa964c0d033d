using System.Runtime.InteropServices;

namespace NemoVideo.Auth;

/// <summary>Files only their owner may read, written atomically, and a cross-process lock.</summary>
internal static class PrivateFile
{
    private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
    private static extern int Chmod(string path, uint mode);

    /// <summary>Creates the folder, owner-only on Unix (Windows profiles are owner-only already).</summary>
    public static void EnsureDirectory(string directory)
    {
        if (Directory.Exists(directory)) return;
        Directory.CreateDirectory(directory);
        Restrict(directory, 0x1C0); // 0700
    }

    /// <summary>Writes the whole file or nothing, owner-only from the first byte, through the product's one output writer.</summary>
    public static void WriteAtomic(string path, string content)
    {
        EnsureDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var output = Transfers.OutputFile.Create(path, overwrite: true);
        Restrict(output.TempPath, 0x180); // 0600, before any secret is written
        using (var fs = output.OpenWrite())
        {
            var bytes = new System.Text.UTF8Encoding(false).GetBytes(content);
            fs.Write(bytes, 0, bytes.Length);
            fs.Flush(true);
        }
        output.Commit();
    }

    /// <summary>
    /// Every write of the file a lock guards happens under it: holding it, any temporary file of that file was left by a
    /// process that died while writing (a kill), and goes.
    /// </summary>
    private static void RemoveDeadWrites(string lockPath)
    {
        if (lockPath.EndsWith(".lock", StringComparison.Ordinal)) Transfers.OutputFile.RemoveTemporaries(lockPath.Substring(0, lockPath.Length - 5));
    }

    /// <summary>chmod on Unix; nothing on Windows.</summary>
    public static void Restrict(string path, uint mode)
    {
        if (IsWindows) return;
        try { Chmod(path, mode); }
        catch (DllNotFoundException) { } // an unusual libc name: the umask still applies
        catch (EntryPointNotFoundException) { }
    }

    /// <summary>
    /// Takes an exclusive lock on <paramref name="lockPath"/> shared by every process of the user.
    /// FileShare.None is an exclusive flock on Unix and a sharing lock on Windows.
    /// </summary>
    public static async Task<IDisposable> LockAsync(string lockPath, TimeSpan timeout, CancellationToken ct)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(lockPath))!;
        EnsureDirectory(dir);
        var deadline = DateTime.UtcNow + timeout;
        var delay = 10;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var fs = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                Restrict(lockPath, 0x180);
                RemoveDeadWrites(lockPath);
                return fs;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
            catch (UnauthorizedAccessException) when (DateTime.UtcNow < deadline && File.Exists(lockPath))
            {
                // Windows refuses a file another process is closing; a lock file that cannot even be made is the folder's fault.
                await Task.Delay(delay, ct).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 200);
            }
        }
    }
}
