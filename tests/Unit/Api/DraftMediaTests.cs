using System.Text.Json;
using NemoVideo.Api;

namespace NemoVideo.Tests.Api;

public class DraftMediaTests
{
    [Fact]
    public void Service_paths_in_the_draft_are_rewritten_to_their_cdn_address()
    {
        var draft = JsonDocument.Parse("""
            {"t":[{"tt":0,"sg":[{"src":"/mnt/userdata/anon_1/5529798706024415232/clip.mp4","st":0,"d":3000},
                                {"src":"/mnt/userdata/anon_1/x/other.mov"},{"src":"https://cdn.example/keep.mp4"}]}],
             "m":{"title":"/mnt/userdata/not-a-file-we-know"}}
            """).RootElement;
        var uploads = new[] { new UploadedAsset { FileName = "clip.mp4", CdnUrl = new Uri("https://cdn.example/u/clip.mp4") } };
        var infos = JsonDocument.Parse("""[{"filename":"other.mov","cdn_url":"https://cdn.example/u/other.mov"}]""").RootElement;

        var rewritten = DraftMedia.RewriteServicePaths(draft, uploads, infos).GetRawText();

        Assert.Contains("\"https://cdn.example/u/clip.mp4\"", rewritten);
        Assert.Contains("\"https://cdn.example/u/other.mov\"", rewritten);
        Assert.Contains("\"https://cdn.example/keep.mp4\"", rewritten);
        Assert.Contains("/mnt/userdata/not-a-file-we-know", rewritten); // unknown: left as it is
        Assert.DoesNotContain("/mnt/userdata/anon_1", rewritten);
        Assert.Contains("\"st\":0,\"d\":3000", rewritten); // the rest untouched
    }
}
