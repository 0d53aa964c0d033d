namespace NemoVideo.Auth;

/// <summary>
/// What the client reads from its surroundings: environment variables, the config folder, the clock.
/// Tests give their own so that nothing touches the real home folder.
/// </summary>
public sealed class NemoEnvironment
{
    public NemoEnvironment(string? configDirectory = null, Func<string, string?>? getVariable = null, Func<DateTimeOffset>? clock = null)
    {
        GetVariable = getVariable ?? Environment.GetEnvironmentVariable;
        ConfigDirectory = configDirectory ?? DefaultConfigDirectory(GetVariable);
        Now = clock ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>The process environment as it is now, and its config folder.</summary>
    public static NemoEnvironment Default => new();

    public Func<string, string?> GetVariable { get; }
    public string ConfigDirectory { get; }
    public Func<DateTimeOffset> Now { get; }

    /// <summary>
    /// NEMO_CONFIG_DIR when set (service accounts, tests), else ~/.config/nemovideo on every platform:
    /// the place other NemoVideo tools share.
    /// </summary>
    public static string DefaultConfigDirectory(Func<string, string?>? getVariable = null)
    {
        var configured = (getVariable ?? Environment.GetEnvironmentVariable)("NEMO_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(configured)) return Path.GetFullPath(configured!.Trim());
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) home = Environment.GetEnvironmentVariable("HOME") ?? Path.GetTempPath();
        return Path.Combine(home, ".config", "nemovideo");
    }
}
