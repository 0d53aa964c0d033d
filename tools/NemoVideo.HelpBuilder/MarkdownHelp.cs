using System.Text;
using System.Text.RegularExpressions;

namespace NemoVideo.HelpBuilder;

public sealed record HelpExample(string Title, string Code, string Remarks);
public sealed record HelpTypeNote(string TypeName, string Description);
public sealed record HelpLink(string Text, string Uri);

/// <summary>One cmdlet's help page in platyPS's markdown layout, read into its parts.</summary>
public sealed class CommandHelp
{
    public string Name { get; init; } = "";
    public string Synopsis { get; init; } = "";
    public string Description { get; init; } = "";
    public IReadOnlyList<HelpExample> Examples { get; init; } = Array.Empty<HelpExample>();
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    /// <summary>The parameters in the order the page describes them (Get-Help lists them in that order).</summary>
    public IReadOnlyList<string> ParameterOrder { get; init; } = Array.Empty<string>();
    public IReadOnlyList<HelpTypeNote> Inputs { get; init; } = Array.Empty<HelpTypeNote>();
    public IReadOnlyList<HelpTypeNote> Outputs { get; init; } = Array.Empty<HelpTypeNote>();
    public string Notes { get; init; } = "";
    public IReadOnlyList<HelpLink> Links { get; init; } = Array.Empty<HelpLink>();
    /// <summary>Each parameter's "Default value:", where the page gives one.</summary>
    public IReadOnlyDictionary<string, string> Defaults { get; init; } = new Dictionary<string, string>();
    /// <summary>The front matter's "online version:" (an absolute address, for Get-Help -Online).</summary>
    public string? OnlineVersion { get; init; }
}

/// <summary>Reads help pages, and rewrites their SYNTAX and parameter blocks from the cmdlet itself.</summary>
public static class MarkdownHelp
{
    private static readonly Regex Fence = new("^```(?<lang>\\w*)\\s*$");

    public static CommandHelp Parse(string markdown)
    {
        var sections = Sections(markdown, "## ");
        string Text(string heading) => sections.TryGetValue(heading, out var s) ? Prose(s) : "";
        var name = Regex.Match(markdown, @"^# (?<n>\S+)\s*$", RegexOptions.Multiline).Groups["n"].Value;

        var examples = new List<HelpExample>();
        if (sections.TryGetValue("EXAMPLES", out var ex))
            foreach (var (title, body) in Sections(ex, "### "))
            {
                var (code, rest) = SplitFirstFence(body);
                examples.Add(new HelpExample(title, code, Prose(rest)));
            }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        if (sections.TryGetValue("PARAMETERS", out var ps))
            foreach (var (title, body) in Sections(ps, "### "))
            {
                if (!title.StartsWith("-", StringComparison.Ordinal)) continue;
                parameters[title.Substring(1)] = Prose(SplitFirstFence(body, keepBefore: true).Remainder);
                order.Add(title.Substring(1));
                if (DefaultIn(body) is string d) defaults[title.Substring(1)] = d;
            }
        var online = Regex.Match(markdown, @"^online version: *(\S+)", RegexOptions.Multiline) is { Success: true } om ? om.Groups[1].Value : null;

        List<HelpTypeNote> Types(string heading) => sections.TryGetValue(heading, out var t)
            ? Sections(t, "### ").Select(kv => new HelpTypeNote(kv.Key, Prose(kv.Value))).ToList() : new List<HelpTypeNote>();

        var links = new List<HelpLink>();
        if (sections.TryGetValue("RELATED LINKS", out var rl))
            foreach (Match m in Regex.Matches(rl, @"\[(?<t>[^\]]+)\]\((?<u>[^)]*)\)")) links.Add(new HelpLink(m.Groups["t"].Value, m.Groups["u"].Value));

        return new CommandHelp
        {
            Name = name, Synopsis = Text("SYNOPSIS"), Description = Text("DESCRIPTION"), Examples = examples, Parameters = parameters, ParameterOrder = order,
            Inputs = Types("INPUTS"), Outputs = Types("OUTPUTS"), Notes = Text("NOTES"), Links = links, Defaults = defaults, OnlineVersion = online,
        };
    }

    /// <summary>The page with its SYNTAX section and every parameter's yaml block written from <paramref name="shape"/>.</summary>
    public static string Sync(string markdown, CmdletShape shape)
    {
        var nl = "\n";
        var text = markdown.Replace("\r\n", "\n");
        text = Regex.Replace(text, @"## SYNTAX\n.*?(?=\n## )", "## SYNTAX" + nl + nl + Syntax(shape).TrimEnd() + nl, RegexOptions.Singleline);
        foreach (var p in shape.WithRiskParameters)
            text = Regex.Replace(text, @"(### -" + Regex.Escape(p.Name) + @"\n(?:(?!### ).)*?)```yaml\n(.*?)```",
                m => m.Groups[1].Value + Yaml(shape, p, DefaultFor(p, DefaultIn(m.Groups[2].Value))), RegexOptions.Singleline);
        return text;
    }

    public static string Syntax(CmdletShape shape)
    {
        var sb = new StringBuilder();
        foreach (var set in shape.SetNames)
        {
            if (set != CmdletShape.AllSets) sb.Append("### ").Append(set).Append(set == shape.DefaultSet ? " (Default)" : "").Append('\n');
            sb.Append("```\n").Append(shape.Name);
            foreach (var (p, b) in shape.InSet(set))
            {
                var nameText = b.Position is null ? $"-{p.Name}" : $"[-{p.Name}]";
                var piece = p.IsSwitch ? $"-{p.Name}" : $"{nameText} <{p.TypeName}>";
                sb.Append(' ').Append(b.Mandatory ? piece : $"[{piece}]");
            }
            if (shape.SupportsShouldProcess) sb.Append(" [-WhatIf] [-Confirm]");
            sb.Append(" [<CommonParameters>]\n```\n\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The default a page should show: the cmdlet's initializer where the IL can be read, "None" where there is none,
    /// else what the page says (tests/PowerShell compares that with a created cmdlet).
    /// </summary>
    public static string? DefaultFor(ParameterShape p, string? onPage) => p.Initial switch
    {
        null => null,
        { Readable: true } i => i.Text == "None" ? null : i.Text,
        _ => onPage,
    };

    /// <summary>The "Default value:" a page gives a parameter.</summary>
    internal static string? DefaultIn(string yaml) =>
        Regex.Match(yaml, @"^Default value: *(.*)$", RegexOptions.Multiline) is { Success: true } m && m.Groups[1].Value.Trim() is { Length: > 0 } v && v != "None" ? v : null;

    private static string Yaml(CmdletShape shape, ParameterShape p, string? defaultValue)
    {
        var sets = p.Sets.Any(s => s.Set == CmdletShape.AllSets) ? "(All)" : string.Join(", ", p.Sets.Select(s => s.Set));
        var first = p.Sets[0];
        var pipeline = p.Sets.Any(s => s.ByValue || s.ByPropertyName)
            ? "True (" + string.Join(", ", new[] { p.Sets.Any(s => s.ByValue) ? "ByValue" : null, p.Sets.Any(s => s.ByPropertyName) ? "ByPropertyName" : null }.Where(x => x != null)) + ")"
            : "False";
        var sb = new StringBuilder("```yaml\n");
        sb.Append("Type: ").Append(p.TypeName).Append('\n');
        sb.Append("Parameter Sets: ").Append(sets).Append('\n');
        sb.Append(("Aliases: " + string.Join(", ", p.Aliases)).TrimEnd()).Append('\n');
        if (p.ValidValues.Count > 0) sb.Append("Accepted values: ").Append(string.Join(", ", p.ValidValues)).Append('\n');
        sb.Append('\n');
        sb.Append("Required: ").Append(p.Sets.Any(s => s.Mandatory) ? "True" : "False").Append('\n');
        sb.Append("Position: ").Append(first.Position?.ToString() ?? "Named").Append('\n');
        sb.Append("Default value: ").Append(defaultValue ?? "None").Append('\n');
        sb.Append("Accept pipeline input: ").Append(pipeline).Append('\n');
        sb.Append("Accept wildcard characters: ").Append(p.Wildcards ? "True" : "False").Append('\n');
        sb.Append("```");
        return sb.ToString();
    }

    /// <summary>The body under each heading of the given level, in order.</summary>
    private static Dictionary<string, string> Sections(string text, string marker)
    {
        var result = new Dictionary<string, string>();
        string? current = null;
        var body = new StringBuilder();
        var inFence = false;
        foreach (var raw in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (Fence.IsMatch(raw)) inFence = !inFence;
            if (!inFence && raw.StartsWith(marker, StringComparison.Ordinal))
            {
                if (current != null) result[current] = body.ToString();
                current = raw.Substring(marker.Length).Trim();
                body.Clear();
                continue;
            }
            if (!inFence && marker == "### " && raw.StartsWith("## ", StringComparison.Ordinal)) break;
            body.Append(raw).Append('\n');
        }
        if (current != null) result[current] = body.ToString();
        return result;
    }

    private static (string Code, string Remainder) SplitFirstFence(string body, bool keepBefore = false)
    {
        var lines = body.Split('\n');
        var start = Array.FindIndex(lines, l => Fence.IsMatch(l));
        if (start < 0) return ("", body);
        var end = Array.FindIndex(lines, start + 1, l => l.TrimEnd() == "```");
        if (end < 0) end = lines.Length;
        var code = string.Join("\n", lines.Skip(start + 1).Take(end - start - 1));
        var rest = keepBefore ? string.Join("\n", lines.Take(start)) : string.Join("\n", lines.Skip(end + 1));
        return (code.Trim('\n'), rest);
    }

    /// <summary>
    /// Markdown prose to plain paragraphs joined by blank lines. Inline code loses its backticks: in a console they
    /// read as PowerShell's escape character (`*.mkv`).
    /// </summary>
    private static string Prose(string text) =>
        string.Join("\n\n", Regex.Split(text.Trim(), @"\n\s*\n").Select(p => Regex.Replace(Regex.Replace(p.Trim(), @"\s*\n\s*", " "), @"`([^`]+)`", "$1")).Where(p => p.Length > 0));
}
