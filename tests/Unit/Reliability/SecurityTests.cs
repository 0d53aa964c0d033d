using System.Reflection;
using NemoVideo.Api;
using NemoVideo.Auth;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Reliability;

/// <summary>The token stays with the API; names from the server never choose where files go.</summary>
public class SecurityTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task A_redirect_to_another_host_never_carries_the_token()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        var job = await client.SubmitRenderAsync(session.SessionId, state.Draft, "mp3");
        var done = await new RenderPoller(client, FastJobs.Schedule).WaitAsync(job, TimeSpan.FromMinutes(1));
        // The CDN refuses, so the API's own download is used; the API redirects to "localhost", another host name.
        var elsewhere = new UriBuilder(done.OutputUrl!) { Host = "localhost" }.Uri;
        emu.Faults.Add(new FaultRule { Route = "GET /cdn/renders/", Status = 403 },
                       new FaultRule { Route = "GET /api/render/proxy/" + job.Id + "/download", Status = 302, Location = elsewhere.ToString() });
        var file = await client.DownloadRenderAsync(done, _env.PathIn("r.mp3"), overwrite: false);
        Assert.True(file.Length > 0);
        var log = emu.Store.RequestLog;
        Assert.Contains(log, r => r.Path.EndsWith("/download") && r.Status == 302 && r.HadAuthorization);
        Assert.Contains(log, r => r.Path.StartsWith("/cdn/renders/") && r.Status == 200 && !r.HadAuthorization);
        Assert.Equal(0, emu.Store.CdnRequestsWithAuthorization);
    }

    [Fact]
    public async Task The_token_appears_in_no_result_trace_error_or_state()
    {
        await using var emu = await Emulators.StartAsync();
        var traces = new List<string>();
        using var client = _env.Client(emu, configure: o => o.Trace = r => { lock (traces) traces.Add(r.ToString()); });
        var result = await FaultToleranceTests.Job(client).RunAsync(new Mp3Request(await Media.ClipAsync(), _env.PathIn("a.mp3"), 128));
        var secret = client.Tokens.Current!.Value;
        emu.Store.SetCredits(0);
        var clip = await Media.ClipAsync();
        var error = await Assert.ThrowsAsync<NemoApiException>(() => FaultToleranceTests.Job(client).RunAsync(new Mp3Request(clip, _env.PathIn("b.mp3"), 128)));
        var state = await client.GetStateAsync(result.SessionId);
        var everything = string.Join("\n", traces) + error + Describe(result) + Describe(state) + state.Draft.GetRawText()
            + Describe(client.Tokens.Current) + result.SessionId;
        Assert.DoesNotContain(secret, everything);
    }

    [Fact]
    public async Task Names_from_the_server_never_choose_where_a_file_is_written()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var (session, state) = await Scenario.PreparedAsync(client);
        // A draft whose title tries to climb out of the folder: the CDN name then carries it.
        var draft = System.Text.Json.JsonDocument.Parse(state.Draft.GetRawText().Replace("\"title\":\"clip-3-360-1\"", "\"title\":\"../../escape\"")).RootElement;
        var target = _env.PathIn("chosen.mp3");
        var file = (await new ExportJob(client, FastJobs.Schedule)
            .RunAsync(new ExportRequest(session.SessionId, draft, target) { Format = "mp3" })).File;
        Assert.Equal(target, file.FullName);
        Assert.Equal(new[] { target }, Directory.GetFiles(_env.WorkDirectory));
        Assert.False(File.Exists(Path.Combine(_env.Root, "escape.mp3")));
    }

    private static string Describe(object? o) => o is null ? "" : string.Join("\n", o.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetIndexParameters().Length == 0).Select(p => { try { return $"{p.Name}={p.GetValue(o)}"; } catch (TargetInvocationException) { return ""; } }));
}
