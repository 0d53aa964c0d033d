using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace NemoVideo.Emulator;

/// <summary>
/// A local NemoVideo-compatible server: every endpoint of docs/API.md with its envelopes, codes and limits,
/// a rule-based agent, renders made by real ffmpeg, and a fault plan. Start it in-process for tests
/// (<see cref="StartAsync"/> on 127.0.0.1:0) or from the command line.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly bool _ownsData;

    private EmulatorServer(WebApplication app, EmulatorOptions options, EmulatorStore store, FaultPlan faults, string dataDirectory, bool ownsData)
    {
        _app = app;
        Options = options;
        Store = store;
        Faults = faults;
        Uplink = new Uplink(options);
        DataDirectory = dataDirectory;
        _ownsData = ownsData;
    }

    public EmulatorOptions Options { get; }
    public EmulatorStore Store { get; }
    public FaultPlan Faults { get; }
    /// <summary>The modelled uplink every multipart upload is read through (<see cref="EmulatorOptions.UploadMbps"/>).</summary>
    public Uplink Uplink { get; }
    public string DataDirectory { get; }
    /// <summary>The address it listens on, ending with a slash.</summary>
    public Uri BaseUri { get; private set; } = null!;

    /// <summary>Builds and starts the server; <paramref name="urls"/> may use port 0 for a free port.</summary>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions? options = null, string urls = "http://127.0.0.1:0", bool logToConsole = false)
    {
        options ??= new EmulatorOptions();
        var ownsData = options.DataDirectory == null;
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "nemo-emulator-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(data, "uploads"));
        Directory.CreateDirectory(Path.Combine(data, "renders"));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        if (!logToConsole) builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = null; // the upload endpoint enforces the API's own limit
            k.Limits.MinRequestBodyDataRate = null;
            // With a modelled uplink, Kestrel buffers 64 KB ahead of the paced reads instead of 1 MB, so a client's
            // progress does not run ahead of what the server has taken (the sockets still buffer a little).
            if (options.UploadMbps is > 0) k.Limits.MaxRequestBufferSize = 64 * 1024;
        });
        var store = new EmulatorStore();
        var faults = new FaultPlan();
        faults.Add(options.Faults.ToArray());
        var app = builder.Build();
        var server = new EmulatorServer(app, options, store, faults, data, ownsData);

        app.Use(async (ctx, next) =>
        {
            var recorded = 0;
            void Record()
            {
                if (Interlocked.Exchange(ref recorded, 1) != 0) return;
                var h = ctx.Request.Headers;
                store.Requests.Enqueue(new RequestRecord(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Response.StatusCode,
                    h.Authorization.Count > 0, h.ContainsKey("X-Skill-Source") && h.ContainsKey("X-Skill-Version") && h.ContainsKey("X-Skill-Platform"),
                    h.UserAgent.ToString()));
            }
            // Logged before the response starts: once the client has the whole answer, the record must already be there.
            ctx.Response.OnStarting(() => { Record(); return Task.CompletedTask; });
            await next();
            Record(); // a response not started yet (no body, or aborted) is sent only after this
        });
        app.UseMiddleware<FaultMiddleware>(faults);
        var api = new ApiEndpoints(options, store, new MediaTools(options), data, server.Uplink);
        api.Map(app);
        AdminEndpoints.Map(app, server);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUri = new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1").TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Runs until the host is told to stop (Ctrl+C on the command line).</summary>
    public Task WaitForShutdownAsync() => _app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var r in Store.Renders.Values) r.Cancel.Cancel();
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsData)
        {
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
