using NemoVideo.Tests.Infrastructure;
using NemoVideo.Transfers;

namespace NemoVideo.Tests.Transfers;

/// <summary>Where a result goes, decided by the user, and the output refused before any work when it cannot be written.</summary>
public sealed class OutputPathsTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public void Output_paths_are_chosen_by_the_user_never_the_server()
    {
        var src = Path.Combine(_env.WorkDirectory, "In Put é.mkv");
        Assert.Equal(Path.Combine(_env.WorkDirectory, "In Put é.mp3"), OutputPaths.Resolve(src, null, ".mp3", singleInput: false));
        Assert.Equal(Path.Combine(_env.Root, "In Put é.mp3"), OutputPaths.Resolve(src, _env.Root, ".mp3", singleInput: false));
        Assert.Equal(_env.PathIn("custom.mp3"), OutputPaths.Resolve(src, _env.PathIn("custom.mp3"), ".mp3", singleInput: true));
        Assert.Throws<ArgumentException>(() => OutputPaths.Resolve(src, _env.PathIn("custom.mp3"), ".mp3", singleInput: false));
        var mp4 = _env.PathIn("clip.mp4");
        Assert.Equal(_env.PathIn("clip.compressed.mp4"), OutputPaths.Resolve(mp4, null, ".mp4", singleInput: true, ".compressed"));
        Assert.Equal(_env.PathIn("clip.compressed.mp4"), OutputPaths.Resolve(mp4, mp4, ".mp4", singleInput: true, ".compressed"));
    }

    [Fact]
    public void A_destination_ending_with_a_separator_is_a_folder_even_before_it_exists()
    {
        var src = _env.PathIn("talk.mkv");
        var folder = _env.PathIn("not-yet") + Path.DirectorySeparatorChar;
        Assert.Equal(Path.Combine(_env.PathIn("not-yet"), "talk.mp3"), OutputPaths.Resolve(src, folder, ".mp3", singleInput: false));
    }

    [Fact]
    public void The_default_same_name_suffix_keeps_the_source_from_being_overwritten()
    {
        var mp3 = _env.PathIn("talk.mp3");
        Assert.Equal(_env.PathIn("talk.out.mp3"), OutputPaths.Resolve(mp3, null, ".mp3", singleInput: true));
    }

    [Fact]
    public void CheckWritable_refuses_a_missing_folder_a_folder_and_an_existing_file_unless_overwritten()
    {
        var missing = Path.Combine(_env.PathIn("nowhere"), "out.mp3");
        Assert.Contains("does not exist", Assert.Throws<DirectoryNotFoundException>(() => OutputPaths.CheckWritable(missing, overwrite: true)).Message);

        var folder = _env.PathIn("a-folder");
        Directory.CreateDirectory(folder);
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => OutputPaths.CheckWritable(folder, overwrite: true)).Message);

        var existing = _env.PathIn("out.mp3");
        File.WriteAllText(existing, "x");
        Assert.Throws<OutputExistsException>(() => OutputPaths.CheckWritable(existing, overwrite: false));
        OutputPaths.CheckWritable(existing, overwrite: true);
        OutputPaths.CheckWritable(_env.PathIn("new.mp3"), overwrite: false);
    }
}
