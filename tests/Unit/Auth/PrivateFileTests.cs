using NemoVideo.Auth;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Auth;

/// <summary>Owner-only files written whole, and the lock every process of the user shares.</summary>
public sealed class PrivateFileTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public void A_write_makes_the_folder_replaces_the_whole_file_and_leaves_nothing_beside_it()
    {
        var path = Path.Combine(_env.ConfigDirectory, "deeper", "secret.json");
        PrivateFile.WriteAtomic(path, "first, longer content");
        PrivateFile.WriteAtomic(path, "second é");
        Assert.Equal("second é", File.ReadAllText(path));
        Assert.Equal(new byte[] { (byte)'s' }, File.ReadAllBytes(path).Take(1)); // no byte order mark
        Assert.Equal(new[] { "secret.json" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [UnixFact("Unix file modes: Windows profile folders are owner-only by their ACLs")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_folder_and_the_file_are_the_owners_only()
    {
        var dir = Path.Combine(_env.ConfigDirectory, "private");
        var path = Path.Combine(dir, "secret.json");
        PrivateFile.WriteAtomic(path, "x");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task A_held_lock_makes_the_next_taker_wait_and_give_up_at_its_timeout()
    {
        var lockPath = Path.Combine(_env.ConfigDirectory, "thing.lock");
        using (await PrivateFile.LockAsync(lockPath, TimeSpan.FromSeconds(5), default))
        {
            var started = DateTime.UtcNow;
            await Assert.ThrowsAsync<IOException>(() => PrivateFile.LockAsync(lockPath, TimeSpan.FromMilliseconds(300), default));
            Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(250), "it waited before giving up");
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PrivateFile.LockAsync(lockPath, TimeSpan.FromSeconds(30), cts.Token));
        }
        using (await PrivateFile.LockAsync(lockPath, TimeSpan.FromMilliseconds(300), default)) { } // free once released
    }

    [Fact]
    public async Task Taking_a_lock_removes_what_a_dead_writer_of_its_file_left()
    {
        var file = Path.Combine(_env.ConfigDirectory, "thing.json");
        Directory.CreateDirectory(_env.ConfigDirectory);
        var dead = Path.Combine(_env.ConfigDirectory, ".thing.json.0123abcd.partial");
        var other = Path.Combine(_env.ConfigDirectory, ".other.json.0123abcd.partial");
        File.WriteAllText(dead, "{ half");
        File.WriteAllText(other, "{ half");
        using (await PrivateFile.LockAsync(file + ".lock", TimeSpan.FromSeconds(5), default)) { }
        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(other)); // another file's write, under another lock
    }
}
