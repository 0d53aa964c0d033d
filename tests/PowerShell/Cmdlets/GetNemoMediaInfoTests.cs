// Get-NemoMediaInfo's entry point; its scenarios live in PodcastCmdletTests, and what it reads in tests/Unit/MediaFacts.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoMediaInfoTests
{
    [Fact]
    public async Task Says_what_a_clip_is_from_its_bytes()
    {
        var clip = await NemoVideo.Tests.Media.ClipAsync(".mkv", 2);
        using var shell = new Shell();
        var info = shell.One("Get-NemoMediaInfo -LiteralPath $clip", new Dictionary<string, object?> { ["clip"] = clip });
        Assert.Equal("Matroska", info.Properties["Container"].Value?.ToString());
        Assert.InRange(((TimeSpan)info.Properties["Duration"].Value).TotalSeconds, 1.9, 2.1);
    }
}
