using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

/// <summary>`dotnet publish` of the PowerShell project must produce a complete module folder.</summary>
public class ModuleLayoutTests
{
    [Fact]
    public async Task Publish_assembles_a_module_folder_with_every_dependency_and_no_PowerShell()
    {
        var output = Path.Combine(Path.GetTempPath(), "nemo-module-" + Guid.NewGuid().ToString("N")[..8], "NemoVideo");
        try
        {
            var project = Path.Combine(CmdletMetadata.RepositoryRoot, "src", "NemoVideo.PowerShell", "NemoVideo.PowerShell.csproj");
            var (code, stdout, stderr) = await Media.RunAsync("dotnet", new[] { "publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "quiet" });
            Assert.True(code == 0, stdout + stderr);

            Assert.True(File.Exists(Path.Combine(output, "NemoVideo.psd1")));
            var root = ModuleMetadataTests.ManifestValue("RootModule");
            Assert.True(File.Exists(Path.Combine(output, root)), root);
            Assert.False(File.Exists(Path.Combine(output, "System.Management.Automation.dll")), "PowerShell must not ship inside the module");
            // The folder is what the gallery package holds: the module and nothing else (symbols are embedded).
            var stray = Directory.GetFiles(output, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(output, f).Replace('\\', '/'))
                .Where(f => !(f.EndsWith(".dll") || f.EndsWith(".ps1xml") || f is "NemoVideo.psd1" or "LICENSE" || f.StartsWith("en-US/"))).ToList();
            Assert.Empty(stray);
            Assert.True(File.Exists(Path.Combine(output, "LICENSE")), "the manifest's LicenseUri names a LICENSE that ships in the module");
            foreach (var format in ModuleMetadataTests.ManifestList("FormatsToProcess"))
                Assert.True(File.Exists(Path.Combine(output, format)), format);
            var help = System.Xml.Linq.XDocument.Load(Path.Combine(output, "en-US", root + "-Help.xml"));
            Assert.Equal(CmdletMetadata.Cmdlets.Count, help.Root!.Elements().Count());
            var about = Path.Combine(output, "en-US", "about_NemoVideo.help.txt");
            Assert.True(File.Exists(about), "about_NemoVideo.help.txt is not in the module's en-US folder");
            Assert.Equal(NemoVideo.HelpBuilder.AboutTopic.ToHelpText(File.ReadAllText(Path.Combine(CmdletMetadata.RepositoryRoot, "docs", "about_NemoVideo.md"))), File.ReadAllText(about));

            // Every assembly any shipped assembly references is shipped too (beside the module, or per runtime in both
            // netcore/ and netfx/), or is part of .NET Standard.
            var perRuntime = Directory.GetFiles(Path.Combine(output, "netcore"), "*.dll").Select(Path.GetFileName).Order().ToList();
            Assert.Equal(perRuntime, Directory.GetFiles(Path.Combine(output, "netfx"), "*.dll").Select(Path.GetFileName).Order());
            Assert.Contains("Microsoft.Bcl.AsyncInterfaces.dll", perRuntime);
            Assert.All(perRuntime, name => Assert.False(File.Exists(Path.Combine(output, name!)), $"{name} beside the module would be loaded by PowerShell 7 whatever the runtime"));
            var shipped = Directory.GetFiles(output, "*.dll").Concat(Directory.GetFiles(Path.Combine(output, "netcore"), "*.dll"))
                .ToDictionary(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase);
            var missing = new List<string>();
            foreach (var dll in shipped.Values)
            {
                using var pe = new PEReader(File.OpenRead(dll));
                var md = pe.GetMetadataReader();
                foreach (var handle in md.AssemblyReferences)
                {
                    var name = md.GetString(md.GetAssemblyReference(handle).Name);
                    if (name is "netstandard" or "mscorlib" or "System.Management.Automation" || name.StartsWith("System.Runtime", StringComparison.Ordinal) && !shipped.ContainsKey(name)) continue;
                    if (!shipped.ContainsKey(name) && !IsNetStandardFacade(name)) missing.Add($"{Path.GetFileName(dll)} -> {name}");
                }
            }
            Assert.Empty(missing);
        }
        finally
        {
            try { Directory.Delete(Path.GetDirectoryName(output)!, recursive: true); } catch (IOException) { }
        }
    }

    // Assemblies every .NET Standard 2.0 host provides.
    private static bool IsNetStandardFacade(string name) =>
        name is "System" or "System.Core" or "System.Xml" or "System.Net.Http" or "System.Numerics" or "System.Data" or "System.Drawing"
            or "System.Runtime.Serialization" or "System.ComponentModel.Composition" or "System.Xml.Linq" or "System.IO.Compression";
}
