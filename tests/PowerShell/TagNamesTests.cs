using System.Collections;

namespace NemoVideo.PowerShell.Tests;

/// <summary>TagNames (src/NemoVideo.PowerShell/TagNames.cs): -Tag's names and values as the tags the core writes. Through a whole episode: PodcastCmdletTests.</summary>
public class TagNamesTests
{
    private static Dictionary<string, string?> From(Hashtable table) =>
        (Dictionary<string, string?>)ModuleAssembly.Call(ModuleAssembly.Type("NemoVideo.PowerShell.TagNames"), "From", table)!;

    [Fact]
    public void Names_become_the_tag_names_aliases_included_and_frame_ids_are_kept()
    {
        var tags = From(new Hashtable { ["Artist"] = "The Nemo Cast", ["Year"] = 2026, ["AlbumArtist"] = "Nemo", ["TrackNumber"] = 3, ["TBPM"] = "120", [" "] = "ignored" });
        Assert.Equal(new[] { "TBPM", "album_artist", "artist", "date", "track" }, tags.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("2026", tags["date"]);
        Assert.Equal("3", tags["track"]);
    }

    [Fact]
    public void Dates_are_written_as_a_tag_holds_them_and_a_bad_one_is_refused_naming_it()
    {
        Assert.Equal("2026-11-30", From(new Hashtable { ["Date"] = new DateTime(2026, 11, 30) })["date"]);
        Assert.Equal("2026-11-30 08:15", From(new Hashtable { ["Date"] = new DateTime(2026, 11, 30, 8, 15, 0) })["date"]);
        var ex = Assert.Throws<FormatException>(() => From(new Hashtable { ["Year"] = "next spring" }));
        Assert.Contains("-Tag Year = 'next spring'", ex.Message);
    }

    [Fact]
    public void A_null_value_is_kept_as_no_value()
    {
        Assert.Null(From(new Hashtable { ["Comment"] = null })["comment"]);
    }
}
