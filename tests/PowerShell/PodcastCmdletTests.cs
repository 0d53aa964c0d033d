using System.Management.Automation;
using TestMedia = NemoVideo.Tests.Media;

namespace NemoVideo.PowerShell.Tests;

/// <summary>ConvertTo-NemoMp3's podcast parameters and Get-NemoMediaInfo through real pipelines, as a podcaster types them.</summary>
public class PodcastCmdletTests
{
    private static async Task<(string Dir, string Cover)> FolderAsync()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-podcast-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        File.Copy(await TestMedia.PodcastSourceAsync(".mkv"), Path.Combine(dir, "episode 1.mkv"));
        File.Copy(await TestMedia.PodcastSourceAsync(".mp4", loud: true), Path.Combine(dir, "episode 2.mp4"));
        var cover = Path.Combine(dir, "show.png");
        File.Copy(await TestMedia.PictureAsync(".png", 200), cover);
        File.WriteAllText(Path.Combine(dir, "chapters.csv"), "Start,Title\n0:00,Welcome\n0:05,Main topic\n");
        return (dir, cover);
    }

    private static string? P(PSObject o, string name) => o.Properties[name].Value?.ToString();

    private static IEnumerable<string?> Titles(object chapters) => ((System.Collections.IEnumerable)chapters).Cast<object>().Select(c => PSObject.AsPSObject(c).Properties["Title"].Value?.ToString()).ToList();

    [Fact]
    public async Task The_helps_example_that_normalises_last_weeks_MP3_runs_as_printed_and_keeps_the_source()
    {
        var quiet = await TestMedia.PodcastSourceAsync(".mkv");
        var mp3 = await TestMedia.MadeAsync("episode-41.mp3", path => new List<string> { "-i", quiet, "-map", "0:a", "-c:a", "libmp3lame", "-b:a", "128k", "-id3v2_version", "3", path });
        var dir = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-example-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        try
        {
            File.Copy(mp3, Path.Combine(dir, "episode-41.mp3"));
            var before = File.ReadAllBytes(Path.Combine(dir, "episode-41.mp3"));
            using var shell = new Shell();
            var results = shell.Run("""
                $example = @((Get-Help ConvertTo-NemoMp3 -Examples).examples.example) | Where-Object title -like '*too quiet*'
                Set-Location -LiteralPath $dir
                Invoke-Expression ($example.code -join "`n")
                """, new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Empty(shell.Errors);
            var made = (FileInfo)Assert.Single(results).BaseObject;
            Assert.Equal("episode-41.audio.mp3", made.Name);
            Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, "episode-41.mp3"))); // the source is not touched
            var (lufs, peak) = await TestMedia.LoudnessAsync(made.FullName);
            Assert.InRange(lufs, -16.5, -15.5);
            Assert.True(peak <= -0.9, $"true peak {peak}");
            Assert.Equal("Episode 42: Loudness", results[0].Properties["Title"].Value); // its tag carried over
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task A_batch_of_episodes_comes_out_at_the_asked_loudness_with_chapters_cover_and_tags_and_MediaInfo_says_the_same()
    {
        var (dir, _) = await FolderAsync();
        try
        {
            using var shell = new Shell();
            var results = shell.Run("""
                Set-Location -LiteralPath $dir
                Get-ChildItem *.mkv, *.mp4 | ConvertTo-NemoMp3 -Engine Local -Bitrate 128 -Loudness -16 -CoverImage .\show.png -Chapter (Import-Csv .\chapters.csv) -Tag @{ Artist = 'Nemo FM'; Date = [datetime]'2026-11-30'; Album = 'Season 1' }
                """, new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Empty(shell.Errors);
            Assert.Equal(2, results.Count);
            foreach (var r in results)
            {
                var (lufs, peak) = await TestMedia.LoudnessAsync(((FileInfo)r.BaseObject).FullName);
                Assert.InRange(lufs, -16.5, -15.5);
                Assert.True(peak <= -0.95, $"true peak {peak}");
                Assert.InRange((double)r.Properties["Loudness"].Value, lufs - 0.15, lufs + 0.15);
                Assert.Equal(128, r.Properties["Bitrate"].Value);
                Assert.Equal("Episode 42: Loudness", r.Properties["Title"].Value); // the source's own title, kept
                Assert.Equal(new[] { "Welcome", "Main topic" }, Titles(r.Properties["Chapters"].Value));
                Assert.StartsWith("image/png 200x200", (string)r.Properties["Cover"].Value);
            }

            var info = shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mp3 | Get-NemoMediaInfo -Loudness | Sort-Object Name", new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Empty(shell.Errors);
            Assert.Equal(2, info.Count);
            foreach (var i in info)
            {
                Assert.Equal("NemoVideo.Media.MediaReport", i.TypeNames[0]);
                Assert.Equal(("MP3", "CBR", (object)128, "Nemo FM", "Season 1"), (P(i, "Container"), P(i, "BitrateMode"), i.Properties["Bitrate"].Value, P(i, "Artist"), P(i, "Album")));
                Assert.Equal("2026-11-30", ((System.Collections.Generic.IReadOnlyDictionary<string, string>)i.Properties["Tags"].Value)["date"]);
                Assert.Equal(new[] { "Welcome", "Main topic" }, Titles(i.Properties["Chapters"].Value));
                Assert.Equal(TimeSpan.FromSeconds(5), PSObject.AsPSObject(((Array)i.Properties["Chapters"].Value).GetValue(1)!).Properties["Start"].Value);
                Assert.StartsWith("image/png 200x200", P(i, "Cover"));
                Assert.Equal("ID3v2.3", P(i, "TagFormat"));
                Assert.InRange((double)i.Properties["Loudness"].Value, -16.5, -15.5);
                Assert.True((double)i.Properties["TruePeak"].Value <= -0.95);
            }
            // Pipeline-first: filter on the figures, format as a table.
            var low = shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mp3 | Get-NemoMediaInfo | Where-Object Bitrate -lt 192", new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Equal(2, low.Count);
            var table = string.Join("\n", shell.Run("Set-Location -LiteralPath $dir; Get-ChildItem *.mp3 | Get-NemoMediaInfo | Out-String -Width 200", new Dictionary<string, object?> { ["dir"] = dir }));
            Assert.Contains("Container", table);
            Assert.Contains("128 kbps CBR", table);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("-CoverImage .\\chapters.csv", "Nemo.BadCoverImage", "not a JPEG or PNG")]
    [InlineData("-CoverImage .\\missing.jpg", "Nemo.BadCoverImage", "does not exist")]
    [InlineData("-Chapter @{ Title = 'No start' }", "Nemo.BadChapter", "has no Start")]
    [InlineData("-Chapter @{ Start = '1:75'; Title = 'Bad' }", "Nemo.BadChapter", "minutes:seconds")]
    [InlineData("-TruePeak -2", "Nemo.TruePeakWithoutLoudness", "give -Loudness too")]
    [InlineData("-Tag @{ Year = 'soon' }", "Nemo.BadTag", "not a date")]
    public async Task Bad_podcast_parameters_stop_the_batch_before_any_file_is_touched(string parameters, string errorId, string says)
    {
        var (dir, _) = await FolderAsync();
        try
        {
            using var shell = new Shell();
            var before = Directory.GetFiles(dir).Order().ToArray();
            var output = shell.Run($"Set-Location -LiteralPath $dir; Get-ChildItem *.mkv | ConvertTo-NemoMp3 -Engine Local {parameters}", new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Empty(output);
            var error = Assert.Single(shell.Errors); // one error for the batch, not one per file
            Assert.Equal(errorId, error.FullyQualifiedErrorId.Split(',')[0]);
            Assert.Contains(says, error.Exception.Message);
            Assert.Equal(before, Directory.GetFiles(dir).Order().ToArray()); // not even a hidden temporary file
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public async Task MediaInfo_tells_what_a_file_is_from_its_bytes_and_reports_a_missing_one_without_stopping()
    {
        var (dir, _) = await FolderAsync();
        try
        {
            File.WriteAllText(Path.Combine(dir, "notes.mp3"), "not audio at all");
            using var shell = new Shell();
            var output = shell.Run("Set-Location -LiteralPath $dir; Get-NemoMediaInfo -Path .\\notes.mp3, .\\gone.mp4, '.\\episode 1.mkv'", new Dictionary<string, object?> { ["dir"] = dir });
            Assert.Equal(new[] { "NotMedia", "Matroska" }, output.Select(o => P(o, "Container")));
            Assert.Contains(shell.Errors, e => e.FullyQualifiedErrorId.StartsWith("Nemo.PathNotFound", StringComparison.Ordinal));
            var mkv = output[1];
            Assert.Equal(("h264", "aac"), (P(mkv, "VideoCodec"), P(mkv, "AudioCodec")));
            Assert.InRange(((TimeSpan)mkv.Properties["Duration"].Value).TotalSeconds, 11.9, 12.1);
            Assert.Equal("Episode 42: Loudness", P(mkv, "Title"));
            Assert.Equal(TestMedia.PodcastChapters.Select(c => c.Title), Titles(mkv.Properties["Chapters"].Value));
            Assert.StartsWith("image/jpeg 300x300", P(mkv, "Cover"));
        }
        finally { Directory.Delete(dir, true); }
    }
}
