using System.Reflection;
using System.Runtime.InteropServices;

namespace NemoVideo.Tests.Infrastructure;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class CmdletAssemblyAttribute(string path) : Attribute { public string Path { get; } = path; }

/// <summary>
/// The cmdlet assembly loaded for inspection only (MetadataLoadContext), against PowerShellStandard's
/// reference assembly: metadata can be read without a PowerShell runtime.
/// </summary>
public static class CmdletMetadata
{
    private static readonly Lazy<(MetadataLoadContext Context, Assembly Cmdlets)> Loaded = new(Load);

    public static Assembly Assembly => Loaded.Value.Cmdlets;

    /// <summary>Another assembly, by name, in the same inspection context.</summary>
    public static Assembly Load(AssemblyName name) => Loaded.Value.Context.LoadFromAssemblyName(name);
    public static string RepositoryRoot => typeof(CmdletMetadata).Assembly.GetCustomAttribute<RepositoryRootAttribute>()!.Path;

    /// <summary>Every public, non-abstract cmdlet class with its [Cmdlet] attribute.</summary>
    public static IReadOnlyList<CmdletInfo> Cmdlets => Assembly.GetTypes()
        .Where(t => t.IsPublic && !t.IsAbstract)
        .Select(t => (Type: t, Attr: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute")))
        .Where(x => x.Attr != null)
        .Select(x => new CmdletInfo(x.Type, (string)x.Attr!.ConstructorArguments[0].Value! + "-" + (string)x.Attr.ConstructorArguments[1].Value!, x.Attr))
        .OrderBy(c => c.Name)
        .ToList();

    /// <summary>The approved verbs: the constants of PowerShell's Verbs* classes.</summary>
    public static IReadOnlySet<string> ApprovedVerbs => Loaded.Value.Context.LoadFromAssemblyName("System.Management.Automation").GetTypes()
        .Where(t => t.Namespace == "System.Management.Automation" && t.Name.StartsWith("Verbs", StringComparison.Ordinal))
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The names of System.Management.Automation.ErrorCategory.</summary>
    public static IReadOnlySet<string> ErrorCategories => Loaded.Value.Context.LoadFromAssemblyName("System.Management.Automation")
        .GetType("System.Management.Automation.ErrorCategory")!.GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToHashSet();

    private static (MetadataLoadContext, Assembly) Load()
    {
        var me = typeof(CmdletMetadata).Assembly;
        var cmdletPath = me.GetCustomAttribute<CmdletAssemblyAttribute>()!.Path;
        var smaPath = me.GetCustomAttribute<PowerShellReferenceAttribute>()!.Path;
        var paths = new List<string> { cmdletPath, smaPath };
        paths.AddRange(Directory.GetFiles(Path.GetDirectoryName(cmdletPath)!, "*.dll").Where(p => p != cmdletPath));
        var runtime = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll");
        paths.AddRange(runtime.Where(r => !paths.Any(p => Path.GetFileName(p).Equals(Path.GetFileName(r), StringComparison.OrdinalIgnoreCase))));
        var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "netstandard");
        return (context, context.LoadFromAssemblyPath(cmdletPath));
    }
}

public sealed record CmdletInfo(Type Type, string Name, CustomAttributeData Attribute)
{
    public string Verb => Name.Split('-')[0];
    public bool Named(string argument) => Attribute.NamedArguments.Any(a => a.MemberName == argument && a.TypedValue.Value is true);

    public IEnumerable<CustomAttributeData> Attributes(string fullName) =>
        Type.GetCustomAttributesData().Where(a => a.AttributeType.FullName == fullName);

    /// <summary>Public properties with [Parameter], and their [Parameter] attributes.</summary>
    public IEnumerable<(PropertyInfo Property, IReadOnlyList<CustomAttributeData> Parameters)> Parameters =>
        Type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (p, (IReadOnlyList<CustomAttributeData>)p.GetCustomAttributesData().Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute").ToList()))
            .Where(x => x.Item2.Count > 0);
}
