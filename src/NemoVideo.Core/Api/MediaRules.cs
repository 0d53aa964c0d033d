using NemoVideo.Media;

namespace NemoVideo.Api;

/// <summary>What the service accepts, checked before a single byte is sent.</summary>
public static class MediaRules
{
    /// <summary>The largest file the service takes: 500 MB.</summary>
    public const long MaxUploadBytes = 500L * 1024 * 1024;

    public static readonly IReadOnlyCollection<string> VideoExtensions = new[] { ".mp4", ".mov", ".avi", ".webm", ".mkv" };
    public static readonly IReadOnlyCollection<string> ImageExtensions = new[] { ".jpg", ".jpeg", ".png", ".gif", ".webp" };
    public static readonly IReadOnlyCollection<string> AudioExtensions = new[] { ".mp3", ".wav", ".m4a", ".aac" };
    /// <summary>
    /// The recordings an MP3 can be made from besides videos: what the service takes, and what field recorders, phones,
    /// audiobooks and podcasts are (.m4b, .flac, .ogg, .opus), which the module turns into one of the service's types.
    /// </summary>
    public static readonly IReadOnlyCollection<string> AudioSourceExtensions = new[] { ".mp3", ".wav", ".m4a", ".m4b", ".aac", ".flac", ".ogg", ".oga", ".opus" };

    /// <summary>"video", "image", "audio", or null when the service would refuse the type.</summary>
    public static string? FileTypeOf(string path)
    {
        var ext = Path.GetExtension(path).ToLowerInvariant();
        if (VideoExtensions.Contains(ext)) return "video";
        if (ImageExtensions.Contains(ext)) return "image";
        if (AudioExtensions.Contains(ext)) return "audio";
        return null;
    }

    /// <summary>The Content-Type to send a file as.</summary>
    public static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".mp4" => "video/mp4", ".mov" => "video/quicktime", ".avi" => "video/x-msvideo", ".webm" => "video/webm", ".mkv" => "video/x-matroska",
        ".jpg" or ".jpeg" => "image/jpeg", ".png" => "image/png", ".gif" => "image/gif", ".webp" => "image/webp",
        ".mp3" => "audio/mpeg", ".wav" => "audio/wav", ".m4a" => "audio/mp4", ".aac" => "audio/aac",
        _ => "application/octet-stream",
    };

    /// <summary>Throws the error the service would give, without asking it: missing, a folder, wrong type, empty, too large.</summary>
    public static FileInfo CheckUpload(string path, IReadOnlyCollection<string>? allowedExtensions = null)
    {
        var file = CheckSource(path, allowedExtensions ?? VideoExtensions.Concat(ImageExtensions).Concat(AudioExtensions).ToArray());
        if (file.Length > MaxUploadBytes)
            throw new MediaInputException(InputProblem.TooLarge, file.FullName, $"'{file.Name}' is {file.Length / (1024.0 * 1024):0} MB, over the service's 500 MB limit");
        return file;
    }

    /// <summary>
    /// A source a cloud job can start from: an existing, non-empty file of an accepted type. Its size is not checked
    /// here: a job may send less than the whole file (one audio track, a video in parts), and what it sends is checked.
    /// </summary>
    public static FileInfo CheckSource(string path, IReadOnlyCollection<string> allowedExtensions)
    {
        var file = CheckFile(path, allowedExtensions);
        if (file.Length == 0)
            throw new MediaInputException(InputProblem.Empty, file.FullName, $"'{file.Name}' is empty (0 bytes)");
        return file;
    }

    /// <summary>An existing file (not a folder) of one of the <paramref name="allowedExtensions"/>; the checks every engine makes.</summary>
    public static FileInfo CheckFile(string path, IReadOnlyCollection<string> allowedExtensions)
    {
        if (Directory.Exists(path))
            throw new MediaInputException(InputProblem.Folder, path, $"'{path}' is a folder, not a file");
        var file = new FileInfo(path);
        if (!file.Exists)
            throw new MediaInputException(InputProblem.Missing, path, $"'{path}' does not exist");
        var ext = file.Extension.ToLowerInvariant();
        if (!allowedExtensions.Contains(ext))
            throw new MediaInputException(InputProblem.UnsupportedType, file.FullName, $"'{file.Name}' is not a supported file type ({(ext.Length == 0 ? "no extension" : ext)})",
                string.Join(" ", allowedExtensions.Select(e => e.TrimStart('.'))));
        return file;
    }
}
