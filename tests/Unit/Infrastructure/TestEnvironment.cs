using NemoVideo.Api;
using NemoVideo.Auth;
using NemoVideo.Emulator;

namespace NemoVideo.Tests.Infrastructure;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class RepositoryRootAttribute(string path) : Attribute { public string Path { get; } = path; }

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class PowerShellReferenceAttribute(string path) : Attribute { public string Path { get; } = path; }

/// <summary>
/// A private config folder and environment for one test: nothing reads the real home folder or the real
/// NEMO_TOKEN / NEMO_API_URL, and everything is deleted afterwards.
/// </summary>
public sealed class TestEnvironment : IDisposable
{
    private readonly Dictionary<string, string?> _variables = new();

    public TestEnvironment()
    {
        Root = Path.Combine(Path.GetTempPath(), "nemo-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Root);
        ConfigDirectory = Path.Combine(Root, "config");
        WorkDirectory = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;
        Environment = new NemoEnvironment(ConfigDirectory, name => _variables.TryGetValue(name, out var v) ? v : null);
    }

    public string Root { get; }
    public string ConfigDirectory { get; }
    public string WorkDirectory { get; }
    public NemoEnvironment Environment { get; }

    public void Set(string name, string? value) => _variables[name] = value;

    public string PathIn(string name) => System.IO.Path.Combine(WorkDirectory, name);

    /// <summary>Fast retries so fault tests take milliseconds, not the production seconds.</summary>
    public static RetrySettings FastRetry(int retries = 4) => new()
    {
        MaxRetries = retries, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromSeconds(2), RateLimitDelay = TimeSpan.FromMilliseconds(50),
    };

    public NemoApiClient Client(EmulatorServer emulator, NemoToken? token = null, Action<NemoClientOptions>? configure = null, HttpMessageHandler? handler = null) =>
        Client(emulator.BaseUri, token, configure, handler);

    /// <summary>A client of any server (the emulator, a WireMock stub), with fast retries and this test's environment.</summary>
    public NemoApiClient Client(Uri baseUri, NemoToken? token = null, Action<NemoClientOptions>? configure = null, HttpMessageHandler? handler = null, NemoEnvironment? environment = null)
    {
        var options = new NemoClientOptions { BaseUri = baseUri, Retry = FastRetry(), SkillVersion = "0.1.0-test" };
        configure?.Invoke(options);
        var env = environment ?? Environment;
        return new NemoApiClient(options, new TokenProvider(options.BaseUri, env, token), env, handler);
    }

    /// <summary>This test's environment seen from another day: every date the service stated may then be in the past.</summary>
    public NemoEnvironment At(DateTimeOffset now) =>
        new(ConfigDirectory, name => _variables.TryGetValue(name, out var v) ? v : null, () => now);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>Starts an emulator with test-friendly timings; each test gets its own, so counters are its own.</summary>
public static class Emulators
{
    public static Task<EmulatorServer> StartAsync(Action<EmulatorOptions>? configure = null)
    {
        var options = new EmulatorOptions
        {
            AgentThinkTime = TimeSpan.FromMilliseconds(150),
            HeartbeatInterval = TimeSpan.FromMilliseconds(50),
            SilentReplyRate = 0,
        };
        configure?.Invoke(options);
        return EmulatorServer.StartAsync(options);
    }
}
