using System.Reflection;
using System.Text.RegularExpressions;
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
        Assert.Equal(3, mp3.Element(command + "syntax")!.Elements(command + "syntaxItem").Count());
        var path = mp3.Element(command + "parameters")!.Elements(command + "parameter").Single(p => p.Element(maml + "name")!.Value == "Path");
        Assert.Equal(("true", "true", "True (ByValue)", "0"), (path.Attribute("required")!.Value, path.Attribute("globbing")!.Value, path.Attribute("pipelineInput")!.Value, path.Attribute("position")!.Value));
        Assert.NotEmpty(mp3.Descendants(command + "example"));
    }

    private static readonly XNamespace CommandNs = "http://schemas.microsoft.com/maml/dev/command/2004/10", MamlNs = "http://schemas.microsoft.com/maml/2004/10", DevNs = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement BuiltHelp(string name)
    {
        var pages = Shapes.Value.Select(s => (MarkdownHelp.Parse(File.ReadAllText(Page(s.Name))), s));
        return XDocument.Parse(MamlWriter.Write(pages).ToString()).Root!.Elements(CommandNs + "command")
            .Single(c => c.Element(CommandNs + "details")!.Element(CommandNs + "name")!.Value == name);
    }

    [Fact]
    public void The_IL_reader_sees_the_initializers_PowerShell_users_ask_about()
    {
        string? Initial(string cmdlet, string parameter) => Shapes.Value.Single(s => s.Name == cmdlet).Parameters.Single(p => p.Name == parameter).Initial?.Text;
        Assert.Equal("192", Initial("ConvertTo-NemoMp3", "Bitrate"));
        Assert.Equal("4", Initial("ConvertTo-NemoMp3", "ThrottleLimit"));
        Assert.Equal("4", Initial("Compress-NemoVideo", "ThrottleLimit"));
        Assert.Equal("00:05:00", Initial("ConvertTo-NemoMp3", "Timeout"));
        Assert.Equal("en", Initial("Connect-Nemo", "Language"));
        Assert.Equal("Cloud", Initial("Connect-Nemo", "Engine")); // an enum's first member: the compiler writes no initializer for it
        Assert.Null(Initial("ConvertTo-NemoMp3", "AudioTrack"));
        Assert.Null(Initial("ConvertTo-NemoMp3", "Engine")); // nullable: the connection's engine, else Cloud, decided at run time
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_default_on_the_page_is_the_cmdlets_initializer_and_the_built_help_carries_it(string name)
    {
        var shape = Shapes.Value.Single(s => s.Name == name);
        var text = File.ReadAllText(Page(name)).Replace("\r\n", "\n");
        var help = MarkdownHelp.Parse(text);
        var built = BuiltHelp(name).Element(CommandNs + "parameters")!.Elements(CommandNs + "parameter")
            .ToDictionary(p => p.Element(MamlNs + "name")!.Value, p => p.Element(DevNs + "defaultValue")!.Value);
        foreach (var p in shape.WithRiskParameters)
        {
            var onPage = help.Defaults.TryGetValue(p.Name, out var d) ? d : null;
            Assert.True(p.Initial is not { Readable: false }, $"{name} -{p.Name}: the initializer cannot be read from the IL; tests/PowerShell compares it with a created cmdlet");
            var expected = MarkdownHelp.DefaultFor(p, onPage) ?? "None";
            Assert.True(expected == (onPage ?? "None"), $"docs/{name}.md says -{p.Name} defaults to {onPage ?? "None"}, the cmdlet to {expected} (run HelpBuilder sync)");
            Assert.Equal(expected, built[p.Name]);
        }
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void The_built_syntax_is_the_cmdlets_parameter_sets_as_Get_Command_Syntax_shows_them(string name)
    {
        var shape = Shapes.Value.Single(s => s.Name == name);
        var command = BuiltHelp(name);
        var items = command.Element(CommandNs + "syntax")!.Elements(CommandNs + "syntaxItem").ToList();
        Assert.Equal(shape.SetNames.Count, items.Count);
        foreach (var (set, item) in shape.SetNames.Zip(items))
        {
            // Name, required, position and value type of each parameter, in the order Get-Command -Syntax lists them.
            var expected = shape.InSet(set).Select(x => (x.Parameter.Name, x.Binding.Mandatory, x.Binding.Position?.ToString() ?? "named", x.Parameter.IsSwitch ? null : x.Parameter.TypeName))
                .Concat(shape.SupportsShouldProcess ? new (string, bool, string, string?)[] { ("WhatIf", false, "named", null), ("Confirm", false, "named", null) } : Array.Empty<(string, bool, string, string?)>())
                .ToList();
            var actual = item.Elements(CommandNs + "parameter").Select(p => (p.Element(MamlNs + "name")!.Value, p.Attribute("required")!.Value == "true", p.Attribute("position")!.Value,
                p.Element(CommandNs + "parameterValue")?.Value)).ToList();
            Assert.Equal(expected, actual);
        }
        // Types as PowerShell shows them: no generic arity (Nullable`1), no Nullable at all, switches without a value.
        Assert.DoesNotContain("`", command.ToString());
        Assert.DoesNotContain("Nullable", command.ToString());
        Assert.All(command.Descendants(CommandNs + "parameterValue").Select(v => v.Value), v => Assert.Matches(@"^[A-Za-z][A-Za-z0-9]*(\[\])?$", v));
        Assert.DoesNotContain(command.Descendants(CommandNs + "parameterValue"), v => v.Value == "SwitchParameter");
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Get_Help_Online_has_an_absolute_https_address_on_the_project_site(string name)
    {
        var project = ModuleMetadataTests.ManifestValue("ProjectUri");
        Assert.StartsWith("https://", project);
        var links = BuiltHelp(name).Element(CommandNs + "relatedLinks")!.Elements(MamlNs + "navigationLink").Select(l => l.Element(MamlNs + "uri")!.Value).ToList();
        Assert.Equal($"{project}/blob/main/docs/{name}.md", links.First()); // the first link is the one Get-Help -Online opens
        Assert.All(links.Where(l => l.Length > 0), l => Assert.True(Uri.TryCreate(l, UriKind.Absolute, out var u) && u.Scheme == "https", $"{name}: '{l}' is not an absolute https address"));
    }

    [Fact]
    public void The_manifest_has_no_HelpInfoURI_while_no_updatable_help_is_published()
    {
        // Without one, Update-Help -Module NemoVideo says the module has no updatable help and a plain Update-Help skips
        // it; with one that serves no HelpInfo.xml and CAB, every plain Update-Help would report NemoVideo as failed.
        Assert.DoesNotMatch(new Regex(@"^\s*HelpInfoUri\s*=", RegexOptions.Multiline | RegexOptions.IgnoreCase), File.ReadAllText(Path.Combine(CmdletMetadata.RepositoryRoot, "NemoVideo.psd1")));
    }

    private static string AboutText() => AboutTopic.ToHelpText(File.ReadAllText(Page("about_NemoVideo")));

    [Fact]
    public void About_NemoVideo_builds_into_80_columns_with_every_section()
    {
        var text = AboutText();
        Assert.StartsWith("TOPIC\n    about_NemoVideo\n", text);
        Assert.All(text.Split('\n'), line => Assert.True(line.Length <= AboutTopic.Width, $"longer than {AboutTopic.Width} columns: {line}"));
        var headings = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith(' ')).ToList();
        Assert.Equal(new[] { "TOPIC", "SHORT DESCRIPTION", "LONG DESCRIPTION", "ENGINES", "PODCAST EPISODES", "TOKENS AND CREDITS", "THE CACHE AND SETTINGS", "LOGGING AND ERRORS",
            "SCHEDULED TASKS ON WINDOWS", "INSTALLING ON SERVERS", "MORE THAN ONE MACHINE", "HELP", "SEE ALSO", "KEYWORDS" }, headings);
        var flat = Regex.Replace(text, @"\s+", " ");
        foreach (var must in new[] { "Register-ScheduledTask", "New-ScheduledTaskAction", "-NoProfile", "Start-Transcript", "-Verbose", "-ErrorVariable", "-ErrorAction Stop", "$?",
                                     "Invoke-Command -ComputerName", "-ThrottleLimit", "in the order the files finish", "ForEach-Object -Parallel",
                                     "HTTP 402", "Settings, API Tokens", "powershell-tokens.json", "~/.config/nemovideo", "no updatable help", "Update-Help -Module NemoVideo",
                                     "Install-PSResource NemoVideo", "Install-Module NemoVideo", "Register-PSResourceRepository",
                                     "-Loudness -16", "ID3v2.3", "Get-NemoMediaInfo" })
            Assert.Contains(must, flat);
    }

    [Fact]
    public void About_NemoVideo_names_every_environment_variable_the_core_reads()
    {
        var sources = Directory.GetFiles(Path.Combine(CmdletMetadata.RepositoryRoot, "src", "NemoVideo.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar));
        var read = sources.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"""((?:NEMO|SKILL)_[A-Z_]+)""").Select(m => m.Groups[1].Value)).ToHashSet();
        Assert.Contains("NEMO_CONFIG_DIR", read); // the pattern still finds what the core reads
        var text = AboutText();
        Assert.All(read, v => Assert.Contains(v, text));
    }

    [Fact]
    public void About_NemoVideo_links_only_to_pages_that_exist()
    {
        var links = Regex.Matches(File.ReadAllText(Page("about_NemoVideo")), @"\]\(([^)]+\.md)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.True(File.Exists(Path.Combine(CmdletMetadata.RepositoryRoot, "docs", l)), l));
    }
}
