using NemoVideo.HelpBuilder;

// HelpBuilder build <cmdlet.dll> <System.Management.Automation ref.dll> <docs dir> <out.xml>   (and docs/about_*.md beside it as .help.txt)
// HelpBuilder sync  <cmdlet.dll> <System.Management.Automation ref.dll> <docs dir>   (rewrites SYNTAX and yaml blocks)
if (args.Length < 4 || (args[0] != "build" && args[0] != "sync"))
{
    Console.Error.WriteLine("usage: HelpBuilder build|sync <cmdlet.dll> <System.Management.Automation.dll> <docs dir> [<out.xml>]");
    return 2;
}
var shapes = CmdletShape.Read(Path.GetFullPath(args[1]), Path.GetFullPath(args[2]));
var problems = new List<string>();
var pages = new List<(CommandHelp, CmdletShape)>();
foreach (var shape in shapes)
{
    var file = Path.Combine(args[3], shape.Name + ".md");
    if (!File.Exists(file)) { problems.Add($"{shape.Name}: no help page {file}"); continue; }
    var text = File.ReadAllText(file);
    if (args[0] == "sync")
    {
        var synced = MarkdownHelp.Sync(text, shape);
        if (synced != text.Replace("\r\n", "\n")) { File.WriteAllText(file, synced); Console.WriteLine($"updated {file}"); }
        continue;
    }
    pages.Add((MarkdownHelp.Parse(text), shape));
}
if (args[0] == "build")
{
    var output = args.Length > 4 ? args[4] : "NemoVideo.PowerShell.dll-Help.xml";
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    MamlWriter.Write(pages).Save(output);
    Console.WriteLine($"wrote {output} ({pages.Count} cmdlets)");
    // About topics go beside the MAML (en-US/about_X.help.txt), where Get-Help looks for them.
    foreach (var about in Directory.GetFiles(args[3], "about_*.md"))
    {
        var target = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(about) + ".help.txt");
        File.WriteAllText(target, AboutTopic.ToHelpText(File.ReadAllText(about)));
        Console.WriteLine($"wrote {target}");
    }
}
foreach (var p in problems) Console.Error.WriteLine(p);
return problems.Count == 0 ? 0 : 1;
