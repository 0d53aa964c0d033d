using System.Collections.Concurrent;
using System.Management.Automation;
using System.Reflection;

namespace NemoVideo.PowerShell;

/// <summary>
/// Keeps the module's dependencies from colliding with other modules'. Two parts:
/// <list type="bullet">
/// <item>Build time: the core is compiled against the oldest versions that do the job — System.Text.Json 8.0,
/// System.Net.ServerSentEvents 9.0 — so on PowerShell 7.4+ the copies .NET itself carries (same or newer)
/// always satisfy them and nothing is loaded twice.</item>
/// <item>Run time (this class): when the module's own assemblies (those loaded from its folder) ask for a dependency that cannot be met — Windows
/// PowerShell 5.1 without binding redirects, or an older copy with a lower assembly version loaded first — the
/// copy shipped beside this assembly is loaded with LoadFile, which keeps it apart from the other copy. An older
/// copy with the same assembly version (Polly.Core 8.x is 8.0.0.0) is simply used: a Pester test converts with
/// Polly.Core 8.1.0 loaded first.</item>
/// </list>
/// On .NET, Microsoft.Bcl.AsyncInterfaces comes from <c>netcore/</c> (on .NET Framework from <c>netfx/</c>): its netstandard2.1 build forwards IAsyncEnumerable
/// to .NET's own type, which the framework's System.Net.ServerSentEvents returns (pwsh.exe carries such a facade; other
/// hosts of PowerShell, like the in-process tests, do not). A test checks the versions against what PowerShell 7.4 carries.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
    /// <summary>Assemblies whose build differs by runtime (on .NET, IAsyncEnumerable must be .NET's own type): netcore/ or netfx/.</summary>
    private static readonly string RuntimeFolder = Path.Combine(ModuleFolder,
        System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) ? "netfx" : "netcore");
    private static readonly StringComparison PathComparison =
        System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Linux) ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.OrdinalIgnoreCase);

    public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

    public void OnRemove(PSModuleInfo module)
    {
        AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        ModuleState.Clear();
    }

    internal static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        // Only the module's own requests: another module asking for a name we also ship must get its own copy, not ours.
        if (!IsOurs(args.RequestingAssembly)) return null;
        var name = new AssemblyName(args.Name).Name;
        if (string.IsNullOrEmpty(name)) return null;
        var path = Path.Combine(File.Exists(Path.Combine(RuntimeFolder, name + ".dll")) ? RuntimeFolder : ModuleFolder, name + ".dll");
        if (!File.Exists(path)) return null; // not ours: leave it to PowerShell and other modules
        return Loaded.GetOrAdd(path, Assembly.LoadFile);
    }

    /// <summary>
    /// Whether <paramref name="requesting"/> is one of the module's own assemblies: loaded from the module folder (or its
    /// netcore/ or netfx/ folder). A request with no requesting assembly (Type.GetType by name, or .NET Framework losing
    /// track of it) is not provably ours, so it is left to PowerShell and other modules.
    /// </summary>
    internal static bool IsOurs(Assembly? requesting)
    {
        if (requesting is null || requesting.IsDynamic) return false;
        string location;
        try { location = requesting.Location; }
        catch (NotSupportedException) { return false; }
        if (string.IsNullOrEmpty(location)) return false; // loaded from bytes: not from the module folder
        var folder = Path.GetDirectoryName(Path.GetFullPath(location));
        return string.Equals(folder, ModuleFolder, PathComparison) || string.Equals(folder, RuntimeFolder, PathComparison);
    }
}
