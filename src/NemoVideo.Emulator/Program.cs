using System.Globalization;
using System.Text.Json;
using NemoVideo.Emulator;

// dotnet run --project src/NemoVideo.Emulator -- --urls http://127.0.0.1:5080 [options]
var options = new EmulatorOptions();
var urls = "http://127.0.0.1:5080";
var quiet = false;
var registered = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--urls": urls = Value(); break;
        case "--sse-shape": options.SseShape = Enum.Parse<SseShape>(Value(), ignoreCase: true); break;
        case "--render-shape": options.RenderShape = Enum.Parse<RenderShape>(Value(), ignoreCase: true); break;
        case "--credits-shape": options.CreditsShape = Enum.Parse<CreditsShape>(Value(), ignoreCase: true); break;
        case "--silent-rate": options.SilentReplyRate = double.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--think-ms": options.AgentThinkTime = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--min-render-seconds": options.MinRenderTime = TimeSpan.FromSeconds(double.Parse(Value(), CultureInfo.InvariantCulture)); break;
        case "--anonymous-credits": options.AnonymousCredits = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--export-blocked": options.ExportBlocked = true; break;
        case "--documented": options.Documented = true; break;
        case "--lose-sessions": options.LoseSessionsOnAgent = int.Parse(Value(), CultureInfo.InvariantCulture); break;
        case "--trailing-agent-error": options.TrailingAgentError = true; break;
        case "--renders-only-mp4": options.RendersOnlyMp4 = true; break;
        case "--anonymous-cannot-render": options.AnonymousCannotRender = true; break;
        case "--registered-token": registered.Add(Value()); break;
        case "--data-dir": options.DataDirectory = Value(); break;
        case "--upload-mbps":
            var mbps = double.Parse(Value(), CultureInfo.InvariantCulture);
            options.UploadMbps = mbps > 0 && double.IsFinite(mbps) ? mbps : throw new ArgumentException("--upload-mbps needs a positive number of megabits a second");
            break;
        case "--fault-plan":
            options.Faults.AddRange(JsonSerializer.Deserialize<List<FaultRule>>(File.ReadAllText(Value()), new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? new());
            break;
        case "--quiet": quiet = true; break;
        case "-h" or "--help":
            Console.WriteLine("""
                NemoVideo emulator: a local NemoVideo-compatible API for tests and demos.
                  --urls URL                 where to listen (default http://127.0.0.1:5080)
                  --sse-shape simple|adk     agent event shape (default simple)
                  --render-shape data|toplevel   where render status and URL sit (default data)
                  --credits-shape total|grantedconsumed
                  --silent-rate 0..1         share of agent replies without text (default 0.3)
                  --think-ms N               agent thinking time, with heartbeats (default 300)
                  --min-render-seconds N     renders take at least this long
                  --anonymous-credits N      credits of a new anonymous token (default 100)
                  --export-blocked           every export gets HTTP 402
                  --documented               answer as the public record shows: MP4 renders unless asked in the
                                             renderer's vocabulary, the sample token answer (past expires_at, one
                                             per client id a week), FastAPI 404s and placeholder events on /run_sse
                  --renders-only-mp4         every render is an MP4 whatever was asked (only mp4 output is documented)
                  --lose-sessions N          the first N agent calls find their session gone
                  --trailing-agent-error     a good edit's stream ends with {"error":"I encountered a temporary issue…"}
                  --anonymous-cannot-render  exports with anonymous tokens get HTTP 402 (no render scope)
                  --registered-token TOKEN   a token with every scope (repeatable)
                  --fault-plan FILE          JSON array of fault rules armed at start-up
                  --data-dir DIR             keep uploads and renders here
                  --upload-mbps N            model the user's uplink: upload bodies are read at most N megabits
                                             (10^6 bits) a second, one pipe shared by concurrent uploads (default unlimited)
                Admin (loopback only): POST/GET/DELETE /_emulator/faults, POST /_emulator/tokens/expire,
                POST /_emulator/credits/{n}, POST /_emulator/sessions/{id}/drop, GET /_emulator/stats
                """);
            return 0;
        default: throw new ArgumentException($"Unknown option {args[i]}; see --help");
    }
}

await using var server = await EmulatorServer.StartAsync(options, urls, logToConsole: !quiet);
foreach (var token in registered) server.Store.AddAccount(token, "user_" + Math.Abs(token.GetHashCode() % 100000), 25_000);
Console.WriteLine($"NemoVideo emulator listening on {server.BaseUri} (data in {server.DataDirectory}); Ctrl+C to stop.");
await server.WaitForShutdownAsync();
return 0;
