namespace NemoVideo.PowerShell;

/// <summary>What the cmdlets of a process share: the current connection.</summary>
internal static class ModuleState
{
    private static NemoConnection? _current;

    /// <summary>The connection every cmdlet uses unless given -Session. Shared by parallel work.</summary>
    public static NemoConnection? Current
    {
        get => Volatile.Read(ref _current);
        set => Interlocked.Exchange(ref _current, value)?.Dispose();
    }

    public static string Version => typeof(ModuleState).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
