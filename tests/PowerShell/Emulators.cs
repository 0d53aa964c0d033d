using NemoVideo.Emulator;

namespace NemoVideo.PowerShell.Tests;

/// <summary>An emulator in this process with test timings, and a folder of the test's own.</summary>
public sealed class Stage : IAsyncDisposable
{
    private Stage(EmulatorServer emulator, string folder) { Emulator = emulator; Folder = folder; }

    public EmulatorServer Emulator { get; }
    public string Folder { get; }
    public string BaseUri => Emulator.BaseUri.ToString();

    public static async Task<Stage> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions { AgentThinkTime = TimeSpan.FromMilliseconds(100), HeartbeatInterval = TimeSpan.FromMilliseconds(50), SilentReplyRate = 0, AnonymousCredits = 10_000 };
        configure?.Invoke(options);
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-ps-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        return new Stage(await EmulatorServer.StartAsync(options), folder);
    }

    /// <summary>Copies of a test clip in this stage's folder.</summary>
    public async Task<string[]> ClipsAsync(int count, string extension = ".mkv", double seconds = 2)
    {
        var clip = await NemoVideo.Tests.Media.ClipAsync(extension, seconds);
        return Enumerable.Range(1, count).Select(i =>
        {
            var path = Path.Combine(Folder, $"clip {i}{extension}");
            File.Copy(clip, path, overwrite: true);
            return path;
        }).ToArray();
    }

    public string[] Files(string pattern = "*") => Directory.GetFiles(Folder, pattern, SearchOption.AllDirectories).Select(Path.GetFileName).Order().ToArray()!;

    public int Requests(string pathStart) => Emulator.Store.RequestLog.Count(r => r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    /// <summary>The token the module cached for this emulator (to make sure it shows nowhere).</summary>
    public string CachedToken()
    {
        var text = File.ReadAllText(Path.Combine(ModuleFixture.ConfigDirectory, "powershell-tokens.json"));
        using var doc = System.Text.Json.JsonDocument.Parse(text);
        foreach (var entry in doc.RootElement.GetProperty("entries").EnumerateObject())
            if (BaseUri.TrimEnd('/').Equals(entry.Name, StringComparison.OrdinalIgnoreCase)) return entry.Value.GetProperty("token").GetString()!;
        throw new InvalidOperationException("no cached token for " + BaseUri);
    }

    public async ValueTask DisposeAsync()
    {
        await Emulator.DisposeAsync();
        try { Directory.Delete(Folder, true); } catch (IOException) { }
    }
}
