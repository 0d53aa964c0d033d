using NemoVideo.Transfers;

namespace NemoVideo.Tests.Transfers;

/// <summary>The one writer of every file the product makes: a temporary file beside the target, renamed only on Commit.</summary>
public sealed class OutputFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-outputfile-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Target(string name = "episode.mp3") => Path.Combine(_dir, name);

    [Fact]
    public void The_bytes_go_to_a_temporary_file_beside_the_target_and_the_target_does_not_exist_yet()
    {
        using var output = OutputFile.Create(Target(), overwrite: false);
        Assert.Equal(_dir, Path.GetDirectoryName(output.TempPath)); // beside it: the rename stays on one volume
        Assert.NotEqual(output.Target, output.TempPath);
        Assert.True(File.Exists(output.TempPath)); // reserved at once: an unwritable folder shows before any work
        Assert.EndsWith(".partial", output.TempPath);
        Assert.StartsWith(".", Path.GetFileName(output.TempPath)); // hidden by default
        Assert.False(File.Exists(Target()));
    }

    [Fact]
    public void Commit_renames_the_temporary_file_to_the_target_with_its_bytes()
    {
        FileInfo result;
        using (var output = OutputFile.Create(Target(), overwrite: false))
        {
            using (var s = output.OpenWrite()) s.Write(new byte[] { 1, 2, 3 });
            result = output.Commit();
            Assert.False(File.Exists(output.TempPath));
        }
        Assert.Equal(Target(), result.FullName);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(Target())); // Dispose after Commit leaves the file alone
        Assert.Equal(new[] { "episode.mp3" }, Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Dispose_without_Commit_leaves_nothing_behind()
    {
        string temp;
        using (var output = OutputFile.Create(Target(), overwrite: false))
        {
            temp = output.TempPath;
            using var s = output.OpenWrite();
            s.Write(new byte[] { 9, 9 });
        }
        Assert.False(File.Exists(temp));
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void An_existing_target_is_refused_without_overwrite_and_left_as_it_was()
    {
        File.WriteAllText(Target(), "the old one");
        var ex = Assert.ThrowsAny<IOException>(() => OutputFile.Create(Target(), overwrite: false));
        Assert.Equal("OutputExistsException", ex.GetType().Name);
        Assert.Equal("the old one", File.ReadAllText(Target()));
        Assert.Equal(new[] { "episode.mp3" }, Directory.GetFiles(_dir).Select(Path.GetFileName)); // no temporary file either
    }

    [Fact]
    public void With_overwrite_the_existing_target_is_replaced_only_on_Commit()
    {
        File.WriteAllText(Target(), "the old one");
        using var output = OutputFile.Create(Target(), overwrite: true);
        File.WriteAllText(output.TempPath, "the new one");
        Assert.Equal("the old one", File.ReadAllText(Target()));
        output.Commit();
        Assert.Equal("the new one", File.ReadAllText(Target()));
    }

    [Fact]
    public void A_target_that_appears_while_the_file_is_made_is_left_as_it_is()
    {
        using var output = OutputFile.Create(Target(), overwrite: false);
        File.WriteAllText(Target(), "someone else's");
        Assert.Throws<IOException>(() => output.Commit());
        Assert.Equal("someone else's", File.ReadAllText(Target()));
    }

    [Fact]
    public void A_missing_folder_is_refused_before_any_work()
    {
        Assert.Throws<DirectoryNotFoundException>(() => OutputFile.Create(Path.Combine(_dir, "no such folder", "x.mp3"), overwrite: false));
    }

    [Fact]
    public void Rewrite_replaces_the_temporary_file_through_the_transform_and_a_failed_one_leaves_it_as_it_was()
    {
        using var output = OutputFile.Create(Target(), overwrite: false);
        File.WriteAllBytes(output.TempPath, new byte[] { 1, 2, 3 });
        output.Rewrite((from, to) => { to.WriteByte(0); from.CopyTo(to); });
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, File.ReadAllBytes(output.TempPath));

        Assert.Throws<InvalidDataException>(() => output.Rewrite((_, to) => { to.WriteByte(7); throw new InvalidDataException(); }));
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, File.ReadAllBytes(output.TempPath));
        Assert.Single(Directory.GetFiles(_dir)); // the second temporary file went too
    }

    [Fact]
    public void Commit_twice_is_an_error()
    {
        using var output = OutputFile.Create(Target(), overwrite: false);
        output.Commit();
        Assert.Throws<InvalidOperationException>(() => output.Commit());
    }
}
