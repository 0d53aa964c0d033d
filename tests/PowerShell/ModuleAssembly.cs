using System.Reflection;

namespace NemoVideo.PowerShell.Tests;

/// <summary>
/// The module's assemblies as imported into this process (the module is published and imported, never referenced), so a
/// type of the cmdlet project with logic of its own can be tested by itself through reflection.
/// </summary>
public static class ModuleAssembly
{
    private static readonly Lazy<Assembly> Imported = new(() =>
    {
        using var shell = new Shell();
        return (Assembly)shell.One("(Get-Module NemoVideo).ImplementingAssembly").BaseObject;
    }, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>NemoVideo.PowerShell.dll, loaded from the published module folder.</summary>
    public static Assembly Cmdlets => Imported.Value;

    /// <summary>NemoVideo.Core.dll, as the module loads it (reached through a core type the module uses, which loads it if need be).</summary>
    public static Assembly Core => Type("NemoVideo.PowerShell.ModuleState").GetProperty("Current", BindingFlags.Public | BindingFlags.Static)!
        .PropertyType.Assembly;

    /// <summary>A type of the cmdlet project (public or internal) by its full name.</summary>
    public static Type Type(string fullName) => Cmdlets.GetType(fullName, throwOnError: true)!;

    /// <summary>A type of the core (public or internal) by its name alone, wherever its namespace puts it.</summary>
    public static Type CoreType(string name) => Core.GetTypes().Single(t => t.Name == name);

    /// <summary>Calls a static method (public or not) and unwraps what it throws.</summary>
    public static object? Call(Type type, string method, params object?[] args)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(m => m.Name == method && m.GetParameters().Length == args.Length).ToList();
        var target = Assert.Single(candidates);
        try { return target.Invoke(null, args); }
        catch (TargetInvocationException ex) when (ex.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>A new instance of a type (public or internal constructor).</summary>
    public static object New(Type type, params object?[] args) =>
        Activator.CreateInstance(type, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, null, args, null)!;
}
