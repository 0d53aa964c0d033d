namespace NemoVideo;

/// <summary>
/// What the client reads from its surroundings: environment variables, the config folder, the clock.
/// Tests give their own so that nothing touches the real home folder.
/// </summary>
public sealed class NemoEnvironment
{
    public NemoEnvironment(string? configDirectory = null, Func<string, string?>? getVariable = null, Func<DateTimeOffset>? clock = null)
    {
        GetVariable = getVariable ?? Environment.GetEnvironmentVariable;
        ConfigDirectory = configDirectory ?? DefaultConfigDirectory();
        Now = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>The process environment and ~/.config/nemovideo.</summary>
    public static NemoEnvironment Default { get; } = new();

    public Func<string, string?> GetVariable { get; }
    public string ConfigDirectory { get; }
    public Func<DateTimeOffset> Now { get; }

    /// <summary>~/.config/nemovideo on every platform: the place other NemoVideo tools share.</summary>
    public static string DefaultConfigDirectory()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) home = Environment.GetEnvironmentVariable("HOME") ?? Path.GetTempPath();
        return Path.Combine(home, ".config", "nemovideo");
    }
}
