namespace NemoVideo.Transfers;

/// <summary>Where results go, decided by the user and never by a name the server sends.</summary>
public static class OutputPaths
{
    /// <summary>
    /// The output file for <paramref name="source"/>: beside it by default; inside <paramref name="destination"/>
    /// when that is a folder (or ends with a separator); or <paramref name="destination"/> itself, which is
    /// allowed only when there is one input. A result that would be the source itself gets
    /// <paramref name="sameNameSuffix"/> before its extension: the source is never overwritten.
    /// </summary>
    public static string Resolve(string source, string? destination, string extension, bool singleInput, string sameNameSuffix = ".out")
    {
        var result = ResolveRaw(source, destination, extension, singleInput);
        return string.Equals(Path.GetFullPath(result), Path.GetFullPath(source), StringComparison.OrdinalIgnoreCase)
            ? Path.Combine(Path.GetDirectoryName(result)!, Path.GetFileNameWithoutExtension(result) + sameNameSuffix + Path.GetExtension(result))
            : result;
    }

    private static string ResolveRaw(string source, string? destination, string extension, bool singleInput)
    {
        var name = Path.GetFileNameWithoutExtension(source) + extension;
        if (string.IsNullOrEmpty(destination)) return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(source))!, name);
        var full = Path.GetFullPath(destination);
        var looksLikeFolder = destination!.EndsWith("/", StringComparison.Ordinal) || destination.EndsWith("\\", StringComparison.Ordinal);
        if (Directory.Exists(full) || looksLikeFolder) return Path.Combine(full, name);
        if (!singleInput)
            throw new ArgumentException($"'{destination}' is not an existing folder, and several inputs need a folder to go to");
        return full;
    }

    /// <summary>Refuses, before any work, an output that exists (without overwrite) or whose folder is missing.</summary>
    public static void CheckWritable(string target, bool overwrite)
    {
        var dir = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"The destination folder '{dir}' does not exist");
        if (Directory.Exists(target))
            throw new IOException($"'{target}' is a folder, not a file name.");
        if (!overwrite && File.Exists(target))
            throw new OutputExistsException(target);
    }
}
