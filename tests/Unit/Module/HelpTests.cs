using System.Reflection;
using System.Xml.Linq;
using NemoVideo.HelpBuilder;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Module;

/// <summary>Every cmdlet and parameter has help and an example, and the pages agree with the cmdlets.</summary>
public class HelpTests
{
    private static readonly Lazy<IReadOnlyList<CmdletShape>> Shapes = new(() => CmdletShape.Read(
        typeof(HelpTests).Assembly.GetCustomAttribute<CmdletAssemblyAttribute>()!.Path,
        typeof(HelpTests).Assembly.GetCustomAttribute<PowerShellReferenceAttribute>()!.Path));

    private static string Page(string name) => Path.Combine(CmdletMetadata.RepositoryRoot, "docs", name + ".md");

    public static TheoryData<string> CmdletNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in CmdletMetadata.Cmdlets) data.Add(c.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_cmdlet_has_a_page_with_synopsis_description_and_a_runnable_looking_example(string name)
    {
        Assert.True(File.Exists(Page(name)), $"docs/{name}.md is missing");
        var help = MarkdownHelp.Parse(File.ReadAllText(Page(name)));
        Assert.Equal(name, help.Name);
        Assert.False(string.IsNullOrWhiteSpace(help.Synopsis));
        Assert.False(string.IsNullOrWhiteSpace(help.Description));
        Assert.NotEmpty(help.Examples);
        Assert.All(help.Examples, e => Assert.Contains(name, e.Code));
        Assert.NotEmpty(help.Outputs);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_parameter_is_described_and_no_page_describes_a_parameter_that_does_not_exist(string name)
    {
        var shape = Shapes.Value.Single(s => s.Name == name);
        var help = MarkdownHelp.Parse(File.ReadAllText(Page(name)));
        var expected = shape.Parameters.Select(p => p.Name).Concat(shape.SupportsShouldProcess ? new[] { "WhatIf", "Confirm" } : Array.Empty<string>()).ToHashSet();
        foreach (var p in expected)
            Assert.True(help.Parameters.TryGetValue(p, out var d) && d.Length > 10, $"{name} -{p} has no help");
        Assert.DoesNotContain(help.Parameters.Keys, k => !expected.Contains(k));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_syntax_and_parameter_blocks_match_the_cmdlet(string name)
    {
        var text = File.ReadAllText(Page(name)).Replace("\r\n", "\n");
        var synced = MarkdownHelp.Sync(text, Shapes.Value.Single(s => s.Name == name));
        Assert.True(synced == text, $"docs/{name}.md is out of date: run dotnet run --project tools/NemoVideo.HelpBuilder -- sync <NemoVideo.PowerShell.dll> <System.Management.Automation.dll> docs");
    }

    [Fact]
    public void The_MAML_has_every_cmdlet_with_its_parameters_and_examples()
    {
        var pages = Shapes.Value.Select(s => (MarkdownHelp.Parse(File.ReadAllText(Page(s.Name))), s));
        var doc = XDocument.Parse(MamlWriter.Write(pages).ToString());
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10", maml = "http://schemas.microsoft.com/maml/2004/10";
        Assert.Equal("http://msh", doc.Root!.Name.NamespaceName);
        var commands = doc.Root.Elements(command + "command").ToList();
        Assert.Equal(Shapes.Value.Select(s => s.Name), commands.Select(c => c.Element(command + "details")!.Element(command + "name")!.Value));
        var mp3 = commands.Single(c => c.Descendants(command + "name").First().Value == "ConvertTo-NemoMp3");
        Assert.Equal(2, mp3.Element(command + "syntax")!.Elements(command + "syntaxItem").Count());
        var path = mp3.Element(command + "parameters")!.Elements(command + "parameter").Single(p => p.Element(maml + "name")!.Value == "Path");
        Assert.Equal(("true", "true", "True (ByValue)", "0"), (path.Attribute("required")!.Value, path.Attribute("globbing")!.Value, path.Attribute("pipelineInput")!.Value, path.Attribute("position")!.Value));
        Assert.NotEmpty(mp3.Descendants(command + "example"));
    }
}
