namespace NemoVideo.Transfers;

/// <summary>The output exists and overwriting was not asked for.</summary>
public sealed class OutputExistsException : IOException
{
    public OutputExistsException(string path) : base($"'{path}' already exists") => FilePath = path;
    public string FilePath { get; }
}
