using System.Reflection;

namespace NemoVideo.PowerShell.Tests;

/// <summary>
/// The module's assembly resolver (src/NemoVideo.PowerShell/ModuleInitializer.cs) answers the module's own requests with
/// the copies in its folder, and leaves every other caller's to PowerShell and the other modules. The other half, an older
/// Polly.Core loaded first, is tests/Pester/Dependencies.Tests.ps1; the versions the core asks for, tests/Unit/Module/DependencyIsolationTests.cs.
/// </summary>
public class ModuleInitializerTests
{
    private static Assembly? Resolve(string name, Assembly? requesting) =>
        (Assembly?)ModuleAssembly.Call(ModuleAssembly.Type("NemoVideo.PowerShell.ModuleInitializer"), "Resolve", null, new ResolveEventArgs(name, requesting));

    private static string ModuleFolder => Path.GetDirectoryName(ModuleAssembly.Cmdlets.Location)!;

    [Fact]
    public void Another_assemblys_request_for_a_name_the_module_ships_is_left_alone()
    {
        Assert.True(File.Exists(Path.Combine(ModuleFolder, "Polly.Core.dll")));
        Assert.True(File.Exists(Path.Combine(ModuleFolder, "System.Text.Json.dll")));
        Assert.Null(Resolve("Polly.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", typeof(ModuleInitializerTests).Assembly));
        Assert.Null(Resolve("System.Text.Json, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", typeof(Xunit.FactAttribute).Assembly));
    }

    [Fact]
    public void A_request_with_no_requesting_assembly_is_not_provably_the_modules_and_is_left_alone()
    {
        Assert.Null(Resolve("Polly.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", null));
    }

    [Fact]
    public void The_modules_own_request_is_answered_with_the_copy_in_its_folder()
    {
        var polly = Resolve("Polly.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=c8a3ffc3f8f825cc", ModuleAssembly.Core);
        Assert.NotNull(polly);
        Assert.Equal(Path.Combine(ModuleFolder, "Polly.Core.dll"), polly!.Location);
        Assert.Same(polly, Resolve("Polly.Core", ModuleAssembly.Cmdlets)); // loaded once, then the same copy
    }

    [Fact]
    public void The_modules_request_for_AsyncInterfaces_gets_the_netcore_build_on_dotnet()
    {
        var bcl = Resolve("Microsoft.Bcl.AsyncInterfaces, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", ModuleAssembly.Core);
        Assert.Equal(Path.Combine(ModuleFolder, "netcore", "Microsoft.Bcl.AsyncInterfaces.dll"), bcl?.Location);
    }

    [Fact]
    public void The_modules_request_for_a_name_it_does_not_ship_is_left_alone()
    {
        Assert.Null(Resolve("Not.A.Dependency, Version=1.0.0.0", ModuleAssembly.Core));
    }
}
