using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using NemoVideo.Emulator;
using NemoVideo.Tests;

namespace NemoVideo.PowerShell.Tests;

/// <summary>
/// Every example is a promise: each ```powershell block of the help's EXAMPLES sections (docs/*.md), of
/// docs/about_NemoVideo.md and of README.md runs as printed, in a fresh runspace inside a scratch folder stocked with
/// the files it names, against an emulator (NEMO_API_URL) or the local engine where it says so, and writes no error.
/// Paths that cannot exist here are mapped by literal substitutions listed below, each with its reason; examples that
/// cannot run here are listed with theirs. An example added to a page without an entry here fails.
/// </summary>
public class DocumentationExampleTests
{
    public sealed record Example(string Id, string Code);

    /// <summary>How one example is run (or why it is not).</summary>
    private sealed record Handling(string Id)
    {
        /// <summary>Not runnable here: the reason. The example is still checked to be in the pages.</summary>
        public string? NotRunnable { get; init; }
        /// <summary>Expected to fail until something is fixed: the reason. The test fails when it starts to pass.</summary>
        public string? ExpectedToFail { get; init; }
        /// <summary>Literal replacements in the example's text, each with why it is needed; each must occur in it.</summary>
        public (string From, string To, string Why)[] Substitutions { get; init; } = [];
        /// <summary>Files made in the scratch folder before the example (see <see cref="StockAsync"/>).</summary>
        public string[] Stock { get; init; } = [];
        /// <summary>Files (relative to the scratch folder) that must exist afterwards.</summary>
        public string[] Makes { get; init; } = [];
        /// <summary>Files that must not exist afterwards (-WhatIf).</summary>
        public string[] MakesNot { get; init; } = [];
        /// <summary>Script run first in the same runspace (what a reader has done before): must write no error.</summary>
        public string? Before { get; init; }
        /// <summary>Work in C# before the example (a killed run, say).</summary>
        public Func<Stage, Shell, Task>? Prepare { get; init; }
        public Action<EmulatorOptions>? Emulator { get; init; }
        /// <summary>The most agent messages (paid edits) the example may send; null: not counted.</summary>
        public int? MaxEdits { get; init; }
    }

    private const string NoDDrive = "there is no D: drive here: a folder of the same name in the scratch folder";
    private const string NoShare = "no file share here: a folder of the same name in the scratch folder";
    private const string Gallery = "installs from the PowerShell Gallery or a share of its packages: CI's install test (tests/Install) covers the package";
    private const string ShortClips = "the clips here last 2 s: a size they can fill in the 85-100 % window";

    private static readonly Handling[] Handled =
    [
        // README.md
        new("README.md § Install #1") { NotRunnable = Gallery },
        new("README.md § Install #2") { NotRunnable = Gallery },
        new("README.md § Use")
        {
            Substitutions =
            [
                (@"D:\Recordings\*.mkv", @".\Recordings\*.mkv", NoDDrive),
                ("-TargetSize 80MB", "-TargetSize 1MB", ShortClips),
                ("-TargetSize '25 MB'", "-TargetSize '600 KB'", ShortClips),
            ],
            Stock = ["Recordings/interview.mkv", "phone.mov", "tutorial-4k.mov", "clip.mp4"],
            Makes = ["Recordings/interview.mp3", "small/phone.mp4", "tutorial-4k.mp4", "clip.compressed.mp4", "clip.mp3"],
        },
        new("README.md § Podcast episodes")
        {
            Stock = ["Recordings/episode-11.mkv:podcast", "show-cover.jpg", "episode-12.mp4:podcast", "chapters.csv", "episode-41.mp3"],
            Makes = ["Recordings/episode-11.mp3", "episode-12.mp3", "episode-41.audio.mp3"],
        },

        // about_NemoVideo.md
        new("about_NemoVideo.md § LONG DESCRIPTION #1")
        {
            Substitutions = [(@"D:\Recordings\*.mkv", @".\Recordings\*.mkv", NoDDrive)],
            Stock = ["Recordings/interview.mkv", "phone.mov"],
            Makes = ["Recordings/interview.mp3", "phone.mp4"],
        },
        new("about_NemoVideo.md § LONG DESCRIPTION #2") { Stock = ["a.mkv", "b.mkv"], Makes = ["a.mp3", "b.mp3"] },
        new("about_NemoVideo.md § PODCAST EPISODES")
        {
            Stock = ["Recordings/episode-11.mkv:podcast", "cover.jpg"],
            Makes = ["Recordings/episode-11.mp3"],
        },
        new("about_NemoVideo.md § TOKENS AND CREDITS")
        {
            NotRunnable = "placeholders for a person: '<token>' is a token made at nemovideo.com and Read-Host waits for it to be typed " +
                "(-Token with a SecureString is tested in ConnectNemoTests)",
        },
        new("about_NemoVideo.md § LOGGING AND ERRORS") { Stock = ["a.mkv", "b.mkv"], Makes = ["a.mp3", "b.mp3"] },
        new("about_NemoVideo.md § SCHEDULED TASKS ON WINDOWS #1")
        {
            NotRunnable = "Read-Host waits for a person, and Export-Clixml protects a SecureString with DPAPI, on Windows only",
        },
        new("about_NemoVideo.md § SCHEDULED TASKS ON WINDOWS #2")
        {
            NotRunnable = "the nightly script is run as printed (twice, and twice at once) by tests/Pester/ScheduledTask.Tests.ps1, " +
                "which checks its logs and exit codes",
        },
        new("about_NemoVideo.md § SCHEDULED TASKS ON WINDOWS #3") { NotRunnable = "Register-ScheduledTask is Windows' Task Scheduler (the ScheduledTasks module)" },
        new("about_NemoVideo.md § INSTALLING ON SERVERS") { NotRunnable = Gallery },
        new("about_NemoVideo.md § MORE THAN ONE MACHINE") { NotRunnable = "needs other machines reached by PowerShell remoting (New-PSSession -ComputerName)" },

        // Compress-NemoVideo.md
        new("Compress-NemoVideo.md Example 1") { Stock = ["phone.mov"], Makes = ["phone.mp4"] },
        new("Compress-NemoVideo.md Example 2") { Stock = ["talk.mp4"], Makes = ["small/talk.mp4"] },
        new("Compress-NemoVideo.md Example 3") { Stock = ["raw/one.mkv", "raw/two.mkv"], Makes = ["raw/one.mp4", "raw/two.mp4"], MaxEdits = 0 },
        new("Compress-NemoVideo.md Example 4")
        {
            Substitutions = [("-TargetSize 80MB", "-TargetSize 1MB", ShortClips), ("-TargetSize '25 MB'", "-TargetSize '600 KB'", ShortClips)],
            Stock = ["tutorial-4k.mov", "clip.mp4"],
            Makes = ["tutorial-4k.mp4", "mail/clip.mp4", "mail/tutorial-4k.mp4"],
        },
        new("Compress-NemoVideo.md Example 5")
        {
            Substitutions = [("-TargetSize 50MB", "-TargetSize 600KB", ShortClips)],
            Stock = ["talk.mkv"],
            Makes = ["talk.mp4"],
            MaxEdits = 0,
        },

        // Connect-Nemo.md
        new("Connect-Nemo.md Example 1"),
        new("Connect-Nemo.md Example 2")
        {
            // SecretManagement and a vault are not installed here: a stand-in Get-Secret gives this emulator's token as a SecureString.
            Before = """
                Connect-Nemo | Out-Null; Disconnect-Nemo
                $cached = (Get-Content (Join-Path $env:NEMO_CONFIG_DIR 'powershell-tokens.json') -Raw | ConvertFrom-Json).entries.PSObject.Properties.Value.token
                function Get-Secret([string] $Name) { ConvertTo-SecureString $cached -AsPlainText -Force }
                """,
        },
        new("Connect-Nemo.md Example 3") { Substitutions = [("http://127.0.0.1:5080", "$uri", "the emulator listens on a free port here")] },

        // ConvertTo-NemoMp3.md
        new("ConvertTo-NemoMp3.md Example 1")
        {
            Substitutions = [(@"D:\Recordings\*.mkv", @".\Recordings\*.mkv", NoDDrive)],
            Stock = ["Recordings/one.mkv", "Recordings/two.mkv"],
            Makes = ["Recordings/one.mp3", "Recordings/two.mp3"],
        },
        new("ConvertTo-NemoMp3.md Example 2")
        {
            Substitutions = [(@"\\nas\webinars\*.mp4", @".\webinars\*.mp4", NoShare), (@"D:\Podcast", @".\Podcast", NoDDrive)],
            Stock = ["webinars/week-1.mp4", "webinars/week-2.mp4"],
            Makes = ["Podcast/week-1.mp3", "Podcast/week-2.mp3", "Podcast/failures.log"], // the log is written on a night with no failure too
        },
        new("ConvertTo-NemoMp3.md Example 3") { Stock = ["interview.mkv:2tracks"], Makes = ["interview.mp3"] },
        new("ConvertTo-NemoMp3.md Example 4") { Stock = ["client-call.mkv:languages"], Makes = ["client-call.mp3"], MaxEdits = 0 },
        new("ConvertTo-NemoMp3.md Example 5") { Stock = ["phone.mov"], MakesNot = ["phone.mp3"], MaxEdits = 0 },
        new("ConvertTo-NemoMp3.md Example 6")
        {
            Stock = ["Recordings/episode-11.mkv:podcast", "show-cover.jpg"],
            Makes = ["Recordings/episode-11.mp3"],
        },
        new("ConvertTo-NemoMp3.md Example 7") { Stock = ["episode-12.mp4:podcast", "chapters.csv"], Makes = ["episode-12.mp3"] },
        new("ConvertTo-NemoMp3.md Example 8") { Stock = ["episode-41.mp3"], Makes = ["episode-41.audio.mp3"], MaxEdits = 0 },

        // Disconnect-Nemo.md
        new("Disconnect-Nemo.md Example 1") { Before = "Connect-Nemo | Out-Null" },
        new("Disconnect-Nemo.md Example 2") { Before = "Connect-Nemo | Out-Null" },
        new("Disconnect-Nemo.md Example 3")
        {
            Before = "Connect-Nemo | Out-Null",
            Substitutions = [("'<a token from nemovideo.com, Settings, API Tokens>'", "'nemo_example_token'",
                "a placeholder for a token a person makes at nemovideo.com; clearing the cache does not use it")],
        },

        // Get-NemoCredit.md
        new("Get-NemoCredit.md Example 1"),

        // Get-NemoMediaInfo.md
        new("Get-NemoMediaInfo.md Example 1")
        {
            Substitutions = [(@"D:\Podcast\*.mp3", @".\Podcast\*.mp3", NoDDrive)],
            Stock = ["Podcast/episode-40.mp3", "Podcast/episode-41.mp3"],
        },
        new("Get-NemoMediaInfo.md Example 2") { Stock = ["episode-42.mp3"] },
        new("Get-NemoMediaInfo.md Example 3")
        {
            Substitutions = [(@"\\nas\recordings", @".\recordings", NoShare)],
            Stock = ["recordings/monday.mp4", "recordings/2026/tuesday.mkv"],
        },
        new("Get-NemoMediaInfo.md Example 4") { Stock = ["conference.mkv:languages"], Makes = ["conference.mp3"] },
        new("Get-NemoMediaInfo.md Example 5") { Stock = ["master.mkv:podcast", "edit.mp4:podcast"], Makes = ["edit.mp3"], MaxEdits = 0 },

        // Get-NemoPendingWork.md
        new("Get-NemoPendingWork.md Example 1"),
        new("Get-NemoPendingWork.md Example 2")
        {
            // What a killed nightly run leaves: an edit paid for, its render running, no MP3. Finishing it must not pay again.
            Emulator = o => o.MinRenderTime = TimeSpan.FromSeconds(4),
            Stock = ["talk.mkv"],
            Prepare = KillDuringRenderAsync,
            Makes = ["talk.mp3"],
            MaxEdits = 0,
        },

        // Get-NemoRender.md, Stop-NemoRender.md: a render of this emulator's in place of the page's made-up id.
        new("Get-NemoRender.md Example 1")
        {
            Substitutions = [("render_1773423613616_1a2b3c4d", "$renderId", "the page's id is made up: a render of this emulator's")],
            Stock = ["clip.mp4"],
            Before = "Send-NemoVideo .\\clip.mp4 | Send-NemoMessage 'Extract the audio as MP3 at 192 kbps' | Out-Null; $renderId = (Invoke-NemoExport -Format mp3 -OutFile .\\before.mp3).RenderId",
        },
        new("Stop-NemoRender.md Example 1")
        {
            Substitutions = [("render_1773423613616_1a2b3c4d", "$renderId", "the page's id is made up: a render of this emulator's")],
            Stock = ["clip.mp4"],
            Before = "Send-NemoVideo .\\clip.mp4 | Send-NemoMessage 'Extract the audio as MP3 at 192 kbps' | Out-Null; $renderId = (Invoke-NemoExport -Format mp3 -OutFile .\\before.mp3).RenderId",
        },

        // Get-NemoSession.md
        new("Get-NemoSession.md Example 1") { Before = "Connect-Nemo | Out-Null" },
        new("Get-NemoSession.md Example 2")
        {
            // No browser here: a stand-in Start-Process records the address it was given.
            Before = "Connect-Nemo | Out-Null; function Start-Process([string] $FilePath) { if ($FilePath -notmatch '^https?://') { throw \"not a web address: $FilePath\" } }",
        },

        // Get-NemoState.md, Send-NemoMessage.md, Invoke-NemoExport.md: the session a reader has after uploading a video.
        new("Get-NemoState.md Example 1") { Stock = ["clip.mp4"], Before = "Send-NemoVideo .\\clip.mp4 | Out-Null", MaxEdits = 1 },
        new("Send-NemoMessage.md Example 1") { Stock = ["clip.mp4"], Before = "Send-NemoVideo .\\clip.mp4 | Out-Null", MaxEdits = 1 },
        new("Send-NemoMessage.md Example 2") { Stock = ["clip.mp4"], Before = "Send-NemoVideo .\\clip.mp4 | Out-Null", MaxEdits = 1 },
        new("Invoke-NemoExport.md Example 1")
        {
            Stock = ["clip.mp4"],
            Before = "Send-NemoVideo .\\clip.mp4 | Send-NemoMessage 'Extract the audio as MP3 at 192 kbps' | Out-Null",
            Makes = ["episode.mp3"],
            MaxEdits = 0,
        },
        new("Invoke-NemoExport.md Example 2")
        {
            Stock = ["clip.mp4"],
            Before = "Send-NemoVideo .\\clip.mp4 | Send-NemoMessage 'Compress the video to 1 Mbps' | Out-Null",
            Makes = ["cut.mp4"],
            MaxEdits = 0,
        },

        // Send-NemoVideo.md
        new("Send-NemoVideo.md Example 1") { Stock = ["interview.mp4"], MaxEdits = 1 },
        new("Send-NemoVideo.md Example 2")
        {
            Substitutions = [("https://example.com/clip.mp4", "$clipUri", "the emulator fetches loopback addresses only: a clip it serves itself")],
            Stock = ["clip.mp4"],
            Before = "$clipUri = (Send-NemoVideo .\\clip.mp4).CdnUrl.ToString()",
        },
    ];

    // ---- the examples, read from the pages ----

    private static string Root => ((BuildInfoAttribute)Attribute.GetCustomAttribute(typeof(ModuleFixture).Assembly, typeof(BuildInfoAttribute))!).RepositoryRoot;

    /// <summary>Every ```powershell block of README.md and docs/about_NemoVideo.md, and of the EXAMPLES section of each cmdlet page.</summary>
    public static IReadOnlyList<Example> ReadExamples()
    {
        var pages = new List<string> { Path.Combine(Root, "README.md"), Path.Combine(Root, "docs", "about_NemoVideo.md") };
        pages.AddRange(Directory.GetFiles(Path.Combine(Root, "docs"), "*-*.md").Order(StringComparer.Ordinal));
        var examples = new List<Example>();
        foreach (var page in pages)
        {
            var name = Path.GetFileName(page);
            var cmdletPage = name.Contains('-');
            var lines = File.ReadAllLines(page);
            string? heading = null;
            var inExamples = false;
            var perHeading = new List<(string Heading, string Code)>();
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    var fence = line.Trim();
                    var code = new List<string>();
                    for (i++; i < lines.Length && !lines[i].StartsWith("```", StringComparison.Ordinal); i++) code.Add(lines[i]);
                    if (fence == "```powershell" && heading != null && (!cmdletPage || inExamples))
                        perHeading.Add((heading, string.Join("\n", code)));
                    continue;
                }
                var h = Regex.Match(line, "^(#+) (.+)$");
                if (!h.Success) continue;
                if (cmdletPage)
                {
                    if (h.Groups[1].Length == 2) inExamples = h.Groups[2].Value == "EXAMPLES";
                    var ex = Regex.Match(h.Groups[2].Value, @"^(Example \d+)");
                    heading = ex.Success ? ex.Groups[1].Value : h.Groups[2].Value;
                }
                else heading = "§ " + h.Groups[2].Value;
            }
            foreach (var group in perHeading.GroupBy(p => p.Heading))
            {
                var blocks = group.ToList();
                for (var k = 0; k < blocks.Count; k++)
                    examples.Add(new Example($"{name} {group.Key}" + (blocks.Count > 1 ? $" #{k + 1}" : ""), blocks[k].Code));
            }
        }
        return examples;
    }

    public static TheoryData<string> ExampleIds()
    {
        var data = new TheoryData<string>();
        foreach (var e in ReadExamples()) data.Add(e.Id);
        return data;
    }

    [Fact]
    public void Every_example_in_the_pages_is_handled_and_every_entry_names_an_example()
    {
        var ids = ReadExamples().Select(e => e.Id).ToList();
        Assert.True(ids.Count >= 40, $"only {ids.Count} examples read: the reader is broken");
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var unhandled = ids.Except(Handled.Select(h => h.Id)).ToList();
        Assert.True(unhandled.Count == 0, "examples with no entry in DocumentationExampleTests.Handled (run them, map their paths, or say why they cannot run here): " + string.Join(", ", unhandled));
        var stale = Handled.Select(h => h.Id).Except(ids).ToList();
        Assert.True(stale.Count == 0, "entries for examples no longer in the pages: " + string.Join(", ", stale));
        foreach (var h in Handled.Where(h => h.NotRunnable != null || h.ExpectedToFail != null))
            Assert.False(string.IsNullOrWhiteSpace(h.NotRunnable ?? h.ExpectedToFail), h.Id);
    }

    [Theory]
    [MemberData(nameof(ExampleIds))]
    public async Task Runs_as_printed(string id)
    {
        var example = ReadExamples().Single(e => e.Id == id);
        var handling = Handled.SingleOrDefault(h => h.Id == id);
        Assert.True(handling != null, $"'{id}' has no entry in DocumentationExampleTests.Handled:\n{example.Code}");
        if (handling!.NotRunnable != null)
        {
            Assert.Empty(handling.Substitutions); // listed with its reason, never run half
            return;
        }

        var code = example.Code;
        foreach (var (from, to, why) in handling.Substitutions)
        {
            Assert.True(code.Contains(from, StringComparison.Ordinal), $"the substitution of '{from}' ({why}) no longer matches the example:\n{code}");
            code = code.Replace(from, to, StringComparison.Ordinal);
        }

        Exception? failure = null;
        try { await RunAsync(handling, code); }
        catch (Exception ex) when (handling.ExpectedToFail != null) { failure = ex; }
        if (handling.ExpectedToFail != null)
            Assert.True(failure != null, $"'{id}' passes now: take away its ExpectedToFail ({handling.ExpectedToFail}).");
    }

    private static async Task RunAsync(Handling handling, string code)
    {
        await using var stage = await Stage.StartAsync(handling.Emulator);
        var scratch = Directory.CreateDirectory(Path.Combine(stage.Folder, "scratch")).FullName;
        foreach (var file in handling.Stock) await StockAsync(scratch, file);

        var saved = new[] { "NEMO_API_URL", "NEMO_CONFIG_DIR", "NEMO_TOKEN", "PSModulePath" }.ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable("NEMO_API_URL", stage.BaseUri);
            Environment.SetEnvironmentVariable("NEMO_CONFIG_DIR", Path.Combine(stage.Folder, "config"));
            Environment.SetEnvironmentVariable("NEMO_TOKEN", null);
            // `Import-Module NemoVideo` by name finds the module built for this run.
            Environment.SetEnvironmentVariable("PSModulePath", Path.GetDirectoryName(Path.GetDirectoryName(ModuleFixture.Manifest)) + Path.PathSeparator + saved["PSModulePath"]);
            ForgetEarlierConnections();

            using var shell = new Shell();
            var vars = new Dictionary<string, object?> { ["uri"] = stage.BaseUri };
            shell.Run("Set-Location -LiteralPath $dir", new Dictionary<string, object?> { ["dir"] = scratch });
            if (handling.Before != null) shell.Run(handling.Before, vars);
            if (handling.Prepare != null) await handling.Prepare(stage, shell);
            Assert.True(shell.Errors.Count == 0, "what runs before the example failed: " + string.Join(" | ", shell.Errors));

            var edits = stage.Requests("/run_sse");
            List<PSObject> output;
            try { output = shell.Run(code, vars); }
            catch (RuntimeException ex)
            {
                throw new Xunit.Sdk.XunitException($"the example threw {ex.ErrorRecord.FullyQualifiedErrorId}: {ex.Message}\n{code}");
            }
            Assert.True(shell.Errors.Count == 0, $"the example wrote errors:\n{string.Join("\n", shell.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e))}\n{code}");
            foreach (var file in handling.Makes)
                Assert.True(File.Exists(Path.Combine(scratch, file)), $"'{file}' was not made; the folder has: {string.Join(", ", Directory.GetFiles(scratch, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(scratch, f)))}");
            foreach (var file in handling.MakesNot) Assert.False(File.Exists(Path.Combine(scratch, file)), $"'{file}' was made");
            if (handling.MaxEdits is int most)
                Assert.True(stage.Requests("/run_sse") - edits <= most, $"the example sent {stage.Requests("/run_sse") - edits} agent messages (paid edits); at most {most} expected");
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
            ForgetEarlierConnections();
        }
    }

    /// <summary>
    /// A fresh runspace that has never connected uses the connection made last in the process (ModuleState): the
    /// examples run as in a new pwsh, so the last test's connection (to an emulator now stopped) is forgotten first.
    /// </summary>
    private static void ForgetEarlierConnections() =>
        ModuleAssembly.Type("NemoVideo.PowerShell.ModuleState").GetField("_lastConnected", BindingFlags.NonPublic | BindingFlags.Static)!.SetValue(null, null);

    /// <summary>"name.ext[:kind]": a 2-second clip by default; podcast (chapters, tags, cover), 2tracks, languages; .mp3, .jpg, .csv.</summary>
    private static async Task StockAsync(string scratch, string spec)
    {
        var (name, kind) = spec.Split(':') is [var n, var k] ? (n, k) : (spec, "");
        var path = Path.Combine(scratch, name.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var extension = Path.GetExtension(name);
        if (extension == ".csv")
        {
            // The page's chapters.csv runs to 41:05; the clip here lasts 12 s, so its chapters do too.
            await File.WriteAllTextAsync(path, "Start,Title\n0:00,Intro\n0:04,The interview\n0:09,Listener questions\n");
            return;
        }
        var source = (kind, extension) switch
        {
            ("podcast", _) => await Media.PodcastSourceAsync(extension),
            ("2tracks", _) => await Media.ClipAsync(extension, 2, audioTracks: 2),
            ("languages", _) => await Media.TwoLanguageClipAsync(),
            (_, ".jpg") => await Media.PictureAsync(".jpg"),
            (_, ".mp3") => await Media.MadeAsync("example-episode.mp3", p => new List<string>
            {
                "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=44100", "-t", "3", "-c:a", "libmp3lame", "-b:a", "128k",
                "-metadata", "title=Episode", "-metadata", "artist=The Nemo Cast", p,
            }),
            _ => await Media.ClipAsync(extension, 2),
        };
        File.Copy(source, path, overwrite: true);
    }

    /// <summary>A run killed while the service renders (Ctrl+C): the edit paid for and journaled, no MP3.</summary>
    private static async Task KillDuringRenderAsync(Stage stage, Shell shell)
    {
        using var ps = shell.Create("ConvertTo-NemoMp3 .\\talk.mkv -Bitrate 192");
        var running = ps.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (stage.Requests("/api/render") == 0 && DateTime.UtcNow < deadline && !running.IsCompleted) await Task.Delay(100);
        Assert.True(stage.Requests("/api/render") > 0, "the run never reached its render");
        ps.Stop();
        try { ps.EndInvoke(running); } catch (PipelineStoppedException) { }
        Assert.Equal(1, stage.Requests("/run_sse"));
    }
}
