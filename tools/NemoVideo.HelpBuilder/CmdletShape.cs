using System.Reflection;
using System.Runtime.InteropServices;

namespace NemoVideo.HelpBuilder;

/// <summary>A parameter as PowerShell binds it, read from the attributes.</summary>
public sealed record ParameterShape(
    string Name, string TypeName, string FullTypeName, IReadOnlyList<string> Aliases, bool Wildcards, bool IsSwitch,
    IReadOnlyList<ParameterInSet> Sets, IReadOnlyList<string> ValidValues)
{
    /// <summary>The value the cmdlet's constructor gives the property, if it gives one (null: no initializer).</summary>
    public InitialValue? Initial { get; init; }
}

/// <summary>How a parameter behaves in one parameter set ("__AllParameterSets" for all).</summary>
public sealed record ParameterInSet(string Set, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

/// <summary>A cmdlet's name, sets, parameters and output, read without loading PowerShell.</summary>
public sealed record CmdletShape(string Name, string? DefaultSet, bool SupportsShouldProcess, IReadOnlyList<ParameterShape> Parameters, IReadOnlyList<string> OutputTypes)
{
    public const string AllSets = "__AllParameterSets";

    /// <summary>The named sets, or one unnamed set when the cmdlet has none.</summary>
    public IReadOnlyList<string> SetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.Set).Where(s => s != AllSets).Distinct().OrderBy(s => s == DefaultSet ? 0 : 1).ThenBy(s => s).ToList();
            return named.Count > 0 ? named : new List<string> { AllSets };
        }
    }

    /// <summary>The parameters a user sees: the cmdlet's own, then -WhatIf and -Confirm when it supports ShouldProcess.</summary>
    public IReadOnlyList<ParameterShape> WithRiskParameters
    {
        get
        {
            var all = Parameters.ToList();
            if (SupportsShouldProcess)
                foreach (var (name, alias) in new[] { ("WhatIf", "wi"), ("Confirm", "cf") })
                    all.Add(new ParameterShape(name, "SwitchParameter", "System.Management.Automation.SwitchParameter", new[] { alias }, false, true,
                        new[] { new ParameterInSet(AllSets, false, null, false, false) }, Array.Empty<string>()));
            return all;
        }
    }

    public IEnumerable<(ParameterShape Parameter, ParameterInSet Binding)> InSet(string set) =>
        Parameters.SelectMany(p => p.Sets.Where(s => s.Set == set || s.Set == AllSets).Take(1).Select(s => (p, s)))
            .OrderBy(x => x.s.Position ?? int.MaxValue).ThenBy(x => x.s.Mandatory ? 0 : 1);

    /// <summary>Every cmdlet in the assembly at <paramref name="cmdletAssembly"/>.</summary>
    public static IReadOnlyList<CmdletShape> Read(string cmdletAssembly, string powerShellReference)
    {
        var paths = new List<string> { cmdletAssembly, powerShellReference };
        paths.AddRange(Directory.GetFiles(Path.GetDirectoryName(cmdletAssembly)!, "*.dll").Where(p => p != cmdletAssembly));
        paths.AddRange(Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Where(r => !paths.Any(p => Path.GetFileName(p).Equals(Path.GetFileName(r), StringComparison.OrdinalIgnoreCase))));
        using var context = new MetadataLoadContext(new PathAssemblyResolver(paths), "netstandard");
        using var initializers = new Initializers(cmdletAssembly);
        var assembly = context.LoadFromAssemblyPath(cmdletAssembly);
        return assembly.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract)
            .Select(t => (Type: t, Attr: t.GetCustomAttributesData().FirstOrDefault(a => a.AttributeType.FullName == "System.Management.Automation.CmdletAttribute")))
            .Where(x => x.Attr != null)
            .Select(x => Shape(x.Type, x.Attr!, initializers))
            .OrderBy(c => c.Name)
            .ToList();
    }

    private static CmdletShape Shape(Type type, CustomAttributeData cmdlet, Initializers initializers)
    {
        object? Named(CustomAttributeData a, string n) => a.NamedArguments.FirstOrDefault(x => x.MemberName == n).TypedValue.Value;
        var name = $"{cmdlet.ConstructorArguments[0].Value}-{cmdlet.ConstructorArguments[1].Value}";
        var parameters = new List<ParameterShape>();
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attrs = p.GetCustomAttributesData();
            var sets = attrs.Where(a => a.AttributeType.FullName == "System.Management.Automation.ParameterAttribute")
                .Select(a => new ParameterInSet(Named(a, "ParameterSetName") as string ?? AllSets, Named(a, "Mandatory") is true,
                    Named(a, "Position") is int pos && pos >= 0 ? pos : null, Named(a, "ValueFromPipeline") is true, Named(a, "ValueFromPipelineByPropertyName") is true))
                .ToList();
            if (sets.Count == 0) continue;
            var aliases = attrs.Where(a => a.AttributeType.Name == "AliasAttribute")
                .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToList();
            var valid = attrs.Where(a => a.AttributeType.Name == "ValidateSetAttribute")
                .SelectMany(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => (string)v.Value!)).ToList();
            // Nullable.GetUnderlyingType does not know MetadataLoadContext's Nullable<>: compare by name.
            var propertyType = p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition().FullName == "System.Nullable`1"
                ? p.PropertyType.GetGenericArguments()[0] : p.PropertyType;
            parameters.Add(new ParameterShape(p.Name, ShortName(propertyType), propertyType.FullName!, aliases,
                attrs.Any(a => a.AttributeType.Name == "SupportsWildcardsAttribute"), propertyType.Name == "SwitchParameter", sets, valid)
            {
                Initial = initializers.Of(p),
            });
        }
        var outputs = type.GetCustomAttributesData().Where(a => a.AttributeType.Name == "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments[0].Value is IEnumerable<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { a.ConstructorArguments[0].Value })
            .OfType<Type>().Select(t => t.FullName!).Where(n => n != "System.Void").ToList();
        return new CmdletShape(name, Named(cmdlet, "DefaultParameterSetName") as string, Named(cmdlet, "SupportsShouldProcess") is true, parameters, outputs);
    }

    private static string ShortName(Type t) => t.IsArray ? ShortName(t.GetElementType()!) + "[]" : t.Name;
}
