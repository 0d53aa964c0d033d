using System.Xml.Linq;

namespace NemoVideo.HelpBuilder;

/// <summary>Writes MAML, the XML help format Get-Help reads for binary modules.</summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Write(IEnumerable<(CommandHelp Help, CmdletShape Shape)> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems", new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml), new XAttribute(XNamespace.Xmlns + "command", Command), new XAttribute(XNamespace.Xmlns + "dev", Dev),
                commands.Select(c => CommandElement(c.Help, c.Shape))));

    private static XElement CommandElement(CommandHelp help, CmdletShape shape)
    {
        var dash = shape.Name.IndexOf('-');
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", shape.Name),
                new XElement(Command + "verb", shape.Name.Substring(0, dash)),
                new XElement(Command + "noun", shape.Name.Substring(dash + 1)),
                new XElement(Maml + "description", Paras(help.Synopsis))),
            new XElement(Maml + "description", Paras(help.Description)),
            new XElement(Command + "syntax", shape.SetNames.Select(set =>
                new XElement(Command + "syntaxItem", new XElement(Maml + "name", shape.Name),
                    shape.InSet(set).Select(x => Parameter(help, x.Parameter, x.Binding))
                        .Concat(shape.WithRiskParameters.Skip(shape.Parameters.Count).Select(p => Parameter(help, p, p.Sets[0])))))),
            new XElement(Command + "parameters", InPageOrder(help, shape.WithRiskParameters).Select(p => Parameter(help, p, p.Sets[0]))),
            new XElement(Command + "inputTypes", help.Inputs.Select(i => new XElement(Command + "inputType",
                new XElement(Dev + "type", new XElement(Maml + "name", i.TypeName)), new XElement(Maml + "description", Paras(i.Description))))),
            new XElement(Command + "returnValues", help.Outputs.Select(o => new XElement(Command + "returnValue",
                new XElement(Dev + "type", new XElement(Maml + "name", o.TypeName)), new XElement(Maml + "description", Paras(o.Description))))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paras(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(e => new XElement(Command + "example",
                new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                new XElement(Dev + "code", e.Code),
                new XElement(Dev + "remarks", Paras(e.Remarks))))),
            // Get-Help -Online opens the first link's address: the page's online version, then the others made absolute.
            new XElement(Command + "relatedLinks",
                help.OnlineVersion is string online ? new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", "Online Version:"), new XElement(Maml + "uri", online)) : null,
                help.Links.Select(l => new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", Absolute(l.Uri, help.OnlineVersion))))));
    }

    // Reflection lists a derived cmdlet's own parameters before its base class's (-Bitrate before -Path): the page's order reads better.
    private static IEnumerable<ParameterShape> InPageOrder(CommandHelp help, IReadOnlyList<ParameterShape> parameters)
    {
        var order = help.ParameterOrder.ToList();
        int Rank(ParameterShape p) => order.FindIndex(n => n.Equals(p.Name, StringComparison.OrdinalIgnoreCase)) is var k and >= 0 ? k : int.MaxValue;
        return parameters.OrderBy(Rank); // stable: any the page does not describe keep their order, at the end
    }

    private static string Absolute(string uri, string? online)
    {
        if (Uri.TryCreate(uri, UriKind.Absolute, out _) || online is null || uri.Length == 0) return uri;
        return new Uri(new Uri(online), uri).AbsoluteUri;
    }

    private static XElement Parameter(CommandHelp help, ParameterShape p, ParameterInSet b)
    {
        var pipeline = b.ByValue || b.ByPropertyName
            ? "True (" + string.Join(", ", new[] { b.ByValue ? "ByValue" : null, b.ByPropertyName ? "ByPropertyName" : null }.Where(x => x != null)) + ")"
            : "False";
        return new XElement(Command + "parameter",
            new XAttribute("required", b.Mandatory ? "true" : "false"),
            new XAttribute("variableLength", p.TypeName.EndsWith("[]") ? "true" : "false"),
            new XAttribute("globbing", p.Wildcards ? "true" : "false"),
            new XAttribute("pipelineInput", pipeline),
            new XAttribute("position", b.Position?.ToString() ?? "named"),
            new XAttribute("aliases", p.Aliases.Count == 0 ? "none" : string.Join(", ", p.Aliases)),
            new XElement(Maml + "name", p.Name),
            new XElement(Maml + "description", Paras(help.Parameters.TryGetValue(p.Name, out var d) ? d : "")),
            p.IsSwitch ? null : new XElement(Command + "parameterValue", new XAttribute("required", "true"), new XAttribute("variableLength", "false"), p.TypeName),
            new XElement(Dev + "type", new XElement(Maml + "name", p.FullTypeName)),
            new XElement(Dev + "defaultValue", help.Defaults.TryGetValue(p.Name, out var value) ? value : "None"));
    }

    private static IEnumerable<XElement> Paras(string text) =>
        text.Split(new[] { "\n\n" }, StringSplitOptions.RemoveEmptyEntries).Select(p => new XElement(Maml + "para", p));
}
