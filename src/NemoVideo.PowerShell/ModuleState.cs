using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace NemoVideo.PowerShell;

/// <summary>
/// The current connection: one per runspace, so two scripts in one process (or a background runspace)
/// never switch each other's API or session. A runspace that has never connected (ForEach-Object -Parallel,
/// thread jobs) uses the connection made last in the process, sharing its token; one that connected and then
/// disconnected has none, so its next command makes its own instead of borrowing another runspace's account.
/// </summary>
internal static class ModuleState
{
    private static readonly ConditionalWeakTable<Runspace, Holder> PerRunspace = new();
    private static NemoConnection? _lastConnected;

    public static NemoConnection? Current
    {
        get
        {
            var runspace = Runspace.DefaultRunspace;
            // A runspace that ever connected has a holder: its own connection, or none after Disconnect-Nemo.
            if (runspace != null && PerRunspace.TryGetValue(runspace, out var holder)) return holder.Connection;
            return Volatile.Read(ref _lastConnected);
        }
    }

    /// <summary>Makes <paramref name="connection"/> this runspace's connection and the process's latest.</summary>
    public static NemoConnection Set(NemoConnection connection)
    {
        var runspace = Runspace.DefaultRunspace;
        if (runspace != null) PerRunspace.GetValue(runspace, _ => new Holder()).Connection = connection;
        Volatile.Write(ref _lastConnected, connection);
        return connection;
    }

    /// <summary>Forgets this runspace's connection (and the process's latest, if it is the same); the runspace keeps
    /// no connection until it makes one, never falling back to another runspace's.</summary>
    public static void Clear()
    {
        var current = Current;
        var runspace = Runspace.DefaultRunspace;
        if (runspace != null) PerRunspace.GetValue(runspace, _ => new Holder()).Connection = null;
        if (current != null) Interlocked.CompareExchange(ref _lastConnected, null, current);
    }

    public static string Version => typeof(ModuleState).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private sealed class Holder
    {
        public NemoConnection? Connection;
    }
}
