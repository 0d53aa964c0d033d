using System.Net;
using NemoVideo.Api;
using NemoVideo.Auth;
using NemoVideo.Emulator;
using NemoVideo.Tests.Infrastructure;
using NemoVideo.Media;

namespace NemoVideo.Tests.Api;

/// <summary>Every endpoint of docs/API.md (Endpoints) through the client, against the emulator over real HTTP.</summary>
public class NemoApiClientTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task Creates_a_session_with_a_long_numeric_id_kept_as_a_string()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        Assert.Matches("^[0-9]{19}$", session.SessionId);
        Assert.StartsWith("task_", session.TaskId);
    }

    [Fact]
    public async Task Every_call_carries_the_attribution_headers_and_the_bearer_token()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        await client.GetStateAsync(session.SessionId);
        await client.GetCreditsAsync();
        var api = emu.Store.RequestLog.Where(r => r.Path.StartsWith("/api/") && !r.Path.Contains("anonymous")).ToList();
        Assert.Equal(3, api.Count);
        Assert.All(api, r => Assert.True(r.HadSkillHeaders && r.HadAuthorization));
        Assert.All(emu.Store.RequestLog, r => Assert.StartsWith("NemoVideo-PowerShell/", r.UserAgent));
    }

    [Fact]
    public async Task Uploads_several_files_as_parts_named_files_streamed_from_disk()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        var clip = await Media.ClipAsync(".mp4", seconds: 2);
        var mkv = await Media.ClipAsync(".mkv", seconds: 3);
        var reports = new List<NemoVideo.Transfers.TransferProgress>();
        var result = await client.UploadFilesAsync(session.SessionId, new[] { clip, mkv }, new SyncProgress<NemoVideo.Transfers.TransferProgress>(reports.Add));
        Assert.True(result.SessionStateApplied);
        Assert.Equal(new[] { Path.GetFileName(clip), Path.GetFileName(mkv) }, result.Files.Select(f => f.FileName));
        Assert.All(result.Files, f => Assert.Equal("video", f.FileType));
        Assert.Equal(3.0, result.Files[1].Duration!.Value.TotalSeconds, 1);
        Assert.Equal(640, result.Files[0].Width);
        Assert.NotNull(result.Files[0].CdnUrl);
        var total = new FileInfo(clip).Length + new FileInfo(mkv).Length;
        Assert.Equal(total, reports.Last().BytesTransferred);
        Assert.Equal(100, reports.Last().Percent);
    }

    [Fact]
    public async Task Uploads_by_url_and_refuses_schemes_other_than_http()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        var uploaded = await client.UploadFilesAsync(session.SessionId, new[] { await Media.ClipAsync() });
        var byUrl = await client.UploadUrlsAsync(session.SessionId, new[] { uploaded.Files[0].CdnUrl! });
        Assert.Equal("video", byUrl.Files.Single().FileType);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.UploadUrlsAsync(session.SessionId, new[] { new Uri("file:///etc/passwd") }));
        Assert.Equal(NemoErrorKind.InvalidRequest, ex.Kind);
        ex = await Assert.ThrowsAsync<NemoApiException>(() => client.UploadUrlsAsync(session.SessionId, new[] { new Uri("ftp://example.com/a.mp4") }));
        Assert.Equal(NemoErrorKind.InvalidRequest, ex.Kind);
    }

    [Fact]
    public async Task Refuses_bad_files_before_sending_a_byte()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        var before = emu.Store.RequestLog.Count;
        var text = _env.PathIn("notes.txt");
        File.WriteAllText(text, "hello");
        var empty = _env.PathIn("empty.mp4");
        File.WriteAllBytes(empty, Array.Empty<byte>());
        var huge = _env.PathIn("huge.mkv");
        using (var fs = File.Create(huge)) fs.SetLength(MediaRules.MaxUploadBytes + 1); // sparse: no disk used
        async Task<InputProblem> Problem(string path) => (await Assert.ThrowsAsync<MediaInputException>(() => client.UploadFilesAsync(session.SessionId, new[] { path }))).Problem;
        Assert.Equal(InputProblem.UnsupportedType, await Problem(text));
        Assert.Equal(InputProblem.Empty, await Problem(empty));
        Assert.Equal(InputProblem.TooLarge, await Problem(huge));
        Assert.Equal(InputProblem.Missing, await Problem(_env.PathIn("missing.mp4")));
        Assert.Equal(InputProblem.Folder, await Problem(_env.WorkDirectory));
        Assert.Equal(before, emu.Store.RequestLog.Count);
    }

    [Fact]
    public async Task The_server_codes_4001_and_4002_reach_the_caller()
    {
        await using var emu = await Emulators.StartAsync(o => o.MaxUploadBytes = 10_000);
        using var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        var clip = await Media.ClipAsync();
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.UploadFilesAsync(session.SessionId, new[] { clip }));
        Assert.Equal((NemoErrorKind.FileTooLarge, 4002), (ex.Kind, ex.Code));
        var fake = _env.PathIn("fake.mp4");
        File.WriteAllText(fake, "this is text, not a video");
        using var client2 = _env.Client(emu);
        ex = await Assert.ThrowsAsync<NemoApiException>(() => client2.UploadFilesAsync(session.SessionId, new[] { fake }));
        Assert.Equal((NemoErrorKind.UnsupportedFile, 4001), (ex.Kind, ex.Code));
        Assert.Contains("mp4, mov, avi, webm, mkv", ex.Advice);
    }

    [Fact]
    public async Task An_unknown_session_is_1002()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.GetStateAsync("1234567890123456789"));
        Assert.Equal((NemoErrorKind.SessionNotFound, 1002, HttpStatusCode.NotFound), (ex.Kind, ex.Code, ex.StatusCode));
    }

    [Theory]
    [InlineData(CreditsShape.Total)]
    [InlineData(CreditsShape.GrantedConsumed)]
    public async Task Reads_the_credit_balance_in_both_shapes(CreditsShape shape)
    {
        await using var emu = await Emulators.StartAsync(o => o.CreditsShape = shape);
        using var client = _env.Client(emu);
        var credits = await client.GetCreditsAsync();
        Assert.Equal((100m, 0m, 100m), (credits.Available, credits.Frozen, credits.Total));
        Assert.Equal(shape == CreditsShape.GrantedConsumed, credits.TotalGranted.HasValue);
    }

    [Fact]
    public async Task Retries_5xx_bursts_and_html_pages_then_succeeds()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        await client.GetCreditsAsync();
        emu.Faults.Add(
            new FaultRule { Route = "GET /api/credits", Status = 500 },
            new FaultRule { Route = "GET /api/credits", Status = 502, Html = true },
            new FaultRule { Route = "GET /api/credits", Status = 503 },
            new FaultRule { Route = "GET /api/credits", Status = 504 });
        Assert.Equal(100, (await client.GetCreditsAsync()).Available);
        Assert.Equal(4, emu.Faults.Fired);
    }

    [Fact]
    public async Task Gives_up_after_the_bounded_number_of_retries()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu, configure: o => o.Retry = TestEnvironment.FastRetry(retries: 2));
        await client.GetCreditsAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits", Status = 503, Times = -1 });
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.GetCreditsAsync());
        Assert.Equal(NemoErrorKind.ServerError, ex.Kind);
        Assert.Equal(3, emu.Store.RequestLog.Count(r => r.Path == "/api/credits/balance/simple" && r.Status == 503));
    }

    [Fact]
    public async Task Honours_Retry_After_on_429()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        await client.GetCreditsAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits", Status = 429, RetryAfter = 1 });
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await client.GetCreditsAsync();
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.95), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        await client.GetCreditsAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits", Drop = true, Times = 2 });
        Assert.Equal(100, (await client.GetCreditsAsync()).Available);
    }

    [Fact]
    public async Task Traces_every_attempt_without_the_token()
    {
        await using var emu = await Emulators.StartAsync();
        var records = new List<HttpCallRecord>();
        using var client = _env.Client(emu, configure: o => o.Trace = r => { lock (records) records.Add(r); });
        await client.GetCreditsAsync();
        emu.Faults.Add(new FaultRule { Route = "GET /api/credits", Status = 503 });
        await client.GetCreditsAsync();
        var text = string.Join("\n", records.Select(r => r.ToString()));
        Assert.Contains("POST /api/auth/anonymous-token -> 200", text);
        Assert.Contains("GET /api/credits/balance/simple -> 503", text);
        Assert.DoesNotContain(new TokenCache(_env.ConfigDirectory).TryGet(emu.BaseUri)!.Value, text);
    }
}

/// <summary>Reports on the calling thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) { lock (this) report(value); }
}
