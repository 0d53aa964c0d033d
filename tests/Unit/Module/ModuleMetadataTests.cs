using System.Text.RegularExpressions;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

/// <summary>The cmdlets' metadata and the manifest, read by reflection without PowerShell.</summary>
public class ModuleMetadataTests
{
    private static string Manifest => File.ReadAllText(Path.Combine(CmdletMetadata.RepositoryRoot, "NemoVideo.psd1"));

    internal static IReadOnlyList<string> ManifestList(string key)
    {
        var m = Regex.Match(Manifest, key + @"\s*=\s*@\((?<items>[^)]*)\)", RegexOptions.Singleline);
        Assert.True(m.Success, $"{key} is missing from the manifest");
        return Regex.Matches(m.Groups["items"].Value, "'([^']+)'").Select(x => x.Groups[1].Value).ToList();
    }

    internal static string ManifestValue(string key) =>
        Regex.Match(Manifest, "^\\s*" + key + @"\s*=\s*'([^']*)'", RegexOptions.Multiline).Groups[1].Value;

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlet_classes()
    {
        Assert.NotEmpty(CmdletMetadata.Cmdlets);
        Assert.Equal(CmdletMetadata.Cmdlets.Select(c => c.Name).OrderBy(n => n), ManifestList("CmdletsToExport").OrderBy(n => n));
        Assert.Empty(ManifestList("FunctionsToExport"));
        Assert.Empty(ManifestList("AliasesToExport"));
        Assert.Empty(ManifestList("VariablesToExport"));
    }

    [Fact]
    public void The_manifest_targets_both_editions_from_5_1_and_has_the_assembly_version()
    {
        Assert.Equal(new[] { "Desktop", "Core" }, ManifestList("CompatiblePSEditions"));
        Assert.Equal("5.1", ManifestValue("PowerShellVersion"));
        Assert.Equal(CmdletMetadata.Assembly.GetName().Version!.ToString(3), ManifestValue("ModuleVersion"));
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb_and_the_Nemo_prefix()
    {
        var approved = CmdletMetadata.ApprovedVerbs;
        Assert.Contains("ConvertTo", approved);
        Assert.All(CmdletMetadata.Cmdlets, c =>
        {
            Assert.Contains(c.Verb, approved);
            Assert.StartsWith("Nemo", c.Name.Split('-')[1]);
        });
    }

    [Fact]
    public void Every_cmdlet_declares_what_it_outputs_and_lives_in_a_file_of_its_own()
    {
        Assert.All(CmdletMetadata.Cmdlets, c =>
        {
            Assert.NotEmpty(c.Attributes("System.Management.Automation.OutputTypeAttribute"));
            var file = Path.Combine(CmdletMetadata.RepositoryRoot, "src", "NemoVideo.PowerShell", "Cmdlets", c.Type.Name + ".cs");
            Assert.True(File.Exists(file), $"{c.Type.Name} should be in {file}");
            Assert.Equal(c.Name.Replace("-", "") + "Command", c.Type.Name);
        });
    }

    [Fact]
    public void Cmdlets_that_change_state_support_WhatIf()
    {
        var changing = new[] { "Remove", "Stop", "Disconnect", "Set", "Clear" };
        Assert.All(CmdletMetadata.Cmdlets.Where(c => changing.Contains(c.Verb)), c => Assert.True(c.Named("SupportsShouldProcess"), c.Name));
    }
}
