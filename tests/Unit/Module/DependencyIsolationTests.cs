using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

/// <summary>The module must load beside other modules and inside PowerShell 7.4+ without version clashes.</summary>
public class DependencyIsolationTests
{
    // What .NET 8 (PowerShell 7.4, the oldest supported PowerShell 7) carries in its shared framework.
    private static readonly Dictionary<string, Version> PowerShell74Framework = new()
    {
        ["System.Text.Json"] = new(8, 0, 0, 0),
        ["System.Text.Encodings.Web"] = new(8, 0, 0, 0),
        ["System.Memory"] = new(8, 0, 0, 0),
        ["System.Buffers"] = new(8, 0, 0, 0),
        ["System.IO.Pipelines"] = new(8, 0, 0, 0),
        ["System.Threading.Tasks.Extensions"] = new(8, 0, 0, 0),
        ["System.Runtime.CompilerServices.Unsafe"] = new(8, 0, 0, 0),
    };

    [Fact]
    public void The_core_asks_for_framework_assemblies_no_newer_than_PowerShell_7_4_carries()
    {
        var core = CmdletMetadata.Assembly.GetReferencedAssemblies().Single(a => a.Name == "NemoVideo.Core");
        var coreAssembly = CmdletMetadata.Load(core);
        var refs = coreAssembly.GetReferencedAssemblies().ToDictionary(a => a.Name!, a => a.Version!);
        Assert.Contains("System.Text.Json", refs.Keys);
        foreach (var (name, version) in refs)
            if (PowerShell74Framework.TryGetValue(name, out var carried))
                Assert.True(version <= carried, $"{name} {version} is newer than PowerShell 7.4's {carried}: it would clash");
    }

    [Fact]
    public void The_module_assembly_registers_a_resolver_when_imported()
    {
        var init = CmdletMetadata.Assembly.GetType("NemoVideo.PowerShell.ModuleInitializer");
        Assert.NotNull(init);
        var interfaces = init!.GetInterfaces().Select(i => i.FullName).ToList();
        Assert.Contains("System.Management.Automation.IModuleAssemblyInitializer", interfaces);
        Assert.Contains("System.Management.Automation.IModuleAssemblyCleanup", interfaces);
    }
}
