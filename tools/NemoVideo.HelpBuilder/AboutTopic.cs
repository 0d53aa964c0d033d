using System.Text;
using System.Text.RegularExpressions;

namespace NemoVideo.HelpBuilder;

/// <summary>
/// An about topic in platyPS's markdown layout (<c># about_X</c>, <c>## about_X</c>, <c># SHORT DESCRIPTION</c>, …)
/// turned into the plain text Get-Help shows: headings in capitals, prose wrapped at 80 columns and indented
/// four, code indented eight and never wrapped, list items with a hanging indent.
/// </summary>
public static class AboutTopic
{
    public const int Width = 80;
    private const string Text = "    ", Code = "        ";

    private enum Kind { Heading, Paragraph, Item, Code }

    public static string ToHelpText(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var name = lines.Select(l => Regex.Match(l, @"^# (about_\S+)\s*$")).FirstOrDefault(m => m.Success)?.Groups[1].Value
            ?? throw new FormatException("an about topic starts with '# about_<name>'");
        var blocks = new List<(Kind Kind, string Text)>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var heading = Regex.Match(line, @"^#{1,3} (.+?)\s*$");
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                var code = new List<string>();
                for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                blocks.Add((Kind.Code, string.Join("\n", code)));
            }
            else if (heading.Success)
            {
                if (!heading.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) blocks.Add((Kind.Heading, heading.Groups[1].Value.ToUpperInvariant()));
            }
            else if (line.StartsWith("- ", StringComparison.Ordinal)) blocks.Add((Kind.Item, line.Substring(2).Trim()));
            else if (line.Trim().Length == 0) blocks.Add((Kind.Paragraph, ""));
            else if (blocks.Count > 0 && blocks[^1].Kind is Kind.Paragraph or Kind.Item && blocks[^1].Text.Length > 0)
                blocks[^1] = (blocks[^1].Kind, blocks[^1].Text + " " + line.Trim()); // a continued line
            else blocks.Add((Kind.Paragraph, line.Trim()));
        }

        var sb = new StringBuilder("TOPIC\n" + Text + name + "\n");
        Kind? previous = null;
        foreach (var (kind, text) in blocks.Where(b => b.Kind != Kind.Paragraph || b.Text.Length > 0))
        {
            // A blank line between blocks, except under a heading and between the items of one list.
            if (kind == Kind.Heading || (previous is not Kind.Heading && !(kind == Kind.Item && previous == Kind.Item))) sb.Append('\n');
            switch (kind)
            {
                case Kind.Heading: sb.Append(text).Append('\n'); break;
                case Kind.Paragraph: Wrap(sb, Inline(text), Text, Text); break;
                case Kind.Item: Wrap(sb, Inline(text), Text + "- ", Text + "  "); break;
                case Kind.Code: foreach (var l in text.Split('\n')) sb.Append(l.Length == 0 ? "" : Code + l).Append('\n'); break;
            }
            previous = kind;
        }
        return sb.ToString();
    }

    /// <summary>Markdown inline marks to plain text: `code` and **bold** lose their marks; [text](page.md) keeps its text, an absolute link its address.</summary>
    private static string Inline(string text)
    {
        text = Regex.Replace(text, @"\[([^\]]+)\]\(([^)]+)\)", m => Uri.TryCreate(m.Groups[2].Value, UriKind.Absolute, out var u) && u.Scheme.StartsWith("http", StringComparison.Ordinal)
            ? (m.Groups[1].Value == m.Groups[2].Value ? u.AbsoluteUri : $"{m.Groups[1].Value} ({m.Groups[2].Value})") : m.Groups[1].Value);
        text = Regex.Replace(text, @"\*\*([^*]+)\*\*", "$1");
        return Regex.Replace(text, @"`([^`]+)`", "$1");
    }

    private static void Wrap(StringBuilder sb, string text, string first, string rest)
    {
        var line = new StringBuilder(first);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > Width)
            {
                sb.Append(line).Append('\n');
                line.Clear().Append(rest);
                empty = true;
            }
            if (!empty) line.Append(' ');
            line.Append(word);
            empty = false;
        }
        sb.Append(line).Append('\n');
    }
}
