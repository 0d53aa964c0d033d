using System.Globalization;
using System.Text.RegularExpressions;

namespace NemoVideo.Jobs;

/// <summary>
/// A size in bytes, written and read the way PowerShell counts (25MB is 25 × 1024 × 1024 bytes): "25 MB", "800KB",
/// "1.5GB", "26214400".
/// </summary>
public readonly struct FileSize : IEquatable<FileSize>, IComparable<FileSize>
{
    private static readonly Regex Text = new(@"^\s*(?<n>\d+(?:[.,]\d+)?)\s*(?<u>b|bytes?|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?\s*$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public FileSize(long bytes) => Bytes = bytes > 0 ? bytes : throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "A size must be more than 0 bytes.");

    public long Bytes { get; }

    /// <summary>"25 MB", "800KB", "1.5GB", "1048576" (bytes); KB, MB and GB are 1024-based, as PowerShell's 25MB.</summary>
    public static FileSize Parse(string text)
    {
        var m = Text.Match(text ?? "");
        if (!m.Success) throw new FormatException($"'{text}' is not a size; write it like 25MB, '25 MB', '800KB' or '1.5GB'.");
        var n = double.Parse(m.Groups["n"].Value.Replace(',', '.'), CultureInfo.InvariantCulture);
        var unit = m.Groups["u"].Value.ToLowerInvariant();
        var scale = unit.Length == 0 || unit[0] == 'b' ? 1.0 : Math.Pow(1024, "kmgt".IndexOf(unit[0]) + 1);
        var bytes = n * scale;
        if (bytes < 1 || bytes > long.MaxValue / 2) throw new FormatException($"'{text}' is not a size a file can have.");
        return new FileSize((long)Math.Round(bytes));
    }

    /// <summary>"25 MB", "800 KB", "1.5 GB", "512 bytes": three significant figures at most.</summary>
    public override string ToString() => Format(Bytes);

    /// <summary>A byte count as <see cref="ToString"/> writes it.</summary>
    public static string Format(long bytes)
    {
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
        string[] units = { "KB", "MB", "GB", "TB" };
        var value = bytes / 1024.0;
        var i = 0;
        while (value >= 1024 && i < units.Length - 1) { value /= 1024; i++; }
        var format = value >= 100 ? "0" : value >= 10 ? "0.#" : "0.##";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + units[i];
    }

    public bool Equals(FileSize other) => Bytes == other.Bytes;
    public override bool Equals(object? obj) => obj is FileSize other && Equals(other);
    public override int GetHashCode() => Bytes.GetHashCode();
    public int CompareTo(FileSize other) => Bytes.CompareTo(other.Bytes);
}
