using System.Collections;
using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>ChapterList (src/NemoVideo.PowerShell/ChapterList.cs): -Chapter's objects as chapters. Through a whole episode: PodcastCmdletTests.</summary>
public class ChapterListTests
{
    private static IReadOnlyList<object> From(params object[] items) =>
        ((IEnumerable)ModuleAssembly.Call(ModuleAssembly.Type("NemoVideo.PowerShell.ChapterList"), "From", items.AsEnumerable())!).Cast<object>().ToList();

    private static (TimeSpan Start, TimeSpan? End, string? Title) Read(object chapter)
    {
        var t = chapter.GetType();
        return ((TimeSpan)t.GetProperty("Start")!.GetValue(chapter)!, (TimeSpan?)t.GetProperty("End")!.GetValue(chapter), (string?)t.GetProperty("Title")!.GetValue(chapter));
    }

    [Fact]
    public void Hashtables_and_Import_Csv_rows_become_chapters_in_start_order()
    {
        var row = new PSObject();
        row.Properties.Add(new PSNoteProperty("Start", "1:30"));
        row.Properties.Add(new PSNoteProperty("Title", "Interview"));
        var chapters = From(row, new Hashtable { ["start"] = 0, ["end"] = "0:45", ["Title"] = "Intro" }).Select(Read).ToList();
        Assert.Equal(new[] { (TimeSpan.Zero, (TimeSpan?)TimeSpan.FromSeconds(45), (string?)"Intro"), (TimeSpan.FromSeconds(90), (TimeSpan?)null, (string?)"Interview") }, chapters);
    }

    [Fact]
    public void A_chapter_without_a_start_one_ending_before_it_starts_and_two_at_one_start_are_refused()
    {
        Assert.Contains("Chapter 1 has no Start", Assert.Throws<FormatException>(() => From(new Hashtable { ["Title"] = "Intro" })).Message);
        Assert.Contains("ends", Assert.Throws<FormatException>(() => From(new Hashtable { ["Start"] = "1:00", ["End"] = "0:30" })).Message);
        Assert.Contains("Two chapters start at", Assert.Throws<FormatException>(() => From(new Hashtable { ["Start"] = 5 }, new Hashtable { ["Start"] = "0:05" })).Message);
        Assert.StartsWith("Chapter 2's Start:", Assert.Throws<FormatException>(() => From(new Hashtable { ["Start"] = 0 }, new Hashtable { ["Start"] = "soon" })).Message);
    }
}
