using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Reliability;

/// <summary>
/// The service goes away for real — its port refuses connections and the open ones are reset — and comes back: a batch
/// waits it out and pays for nothing twice; an address that never answered is still said at once; an outage longer
/// than the window stops the batch with one error.
/// </summary>
public class OutageTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private async Task<List<string>> SourcesAsync(int count)
    {
        var clip = await Media.ClipAsync(".mkv", seconds: 2);
        return Enumerable.Range(1, count).Select(i =>
        {
            var path = _env.PathIn($"show{i}.mkv");
            File.Copy(clip, path);
            return path;
        }).ToList();
    }

    private CloudJob Engine(NemoApiClient client) => new(client, FastJobs.Schedule)
    {
        StateRetryDelays = new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) },
        Recovery = FastJobs.Recovery,
        Journal = new PaidWorkJournal(_env.ConfigDirectory),
    };

    [Fact]
    public async Task A_batch_rides_out_the_service_going_away_for_20_seconds_and_pays_for_no_edit_twice()
    {
        await using var emu = await Emulators.StartAsync(o => { o.AgentThinkTime = TimeSpan.FromMilliseconds(600); o.AnonymousCredits = 1000; });
        await using var proxy = TcpProxy.Start(emu.BaseUri);
        var waits = new ConcurrentQueue<HttpCallRecord>();
        using var client = _env.Client(proxy.BaseUri, configure: o =>
        {
            o.OutageWindow = TimeSpan.FromMinutes(2);
            o.Trace = r => { if (r.OutageUntil != null) waits.Enqueue(r); };
        });
        var sources = await SourcesAsync(6);
        var requests = sources.Select(s => (MediaJobRequest)new Mp3Request(s, Path.ChangeExtension(s, ".mp3"), 128)).ToList();
        var observer = new Observer();
        var engine = Engine(client);
        var batch = new BatchRunner((r, p, ct) => engine.RunAsync(r, p, ct), throttle: 3).RunAsync(requests, observer, CancellationToken.None);

        // Mid-batch: some edits paid for, not all.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (emu.Store.AgentMessages < 2 && !batch.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(batch.IsCompleted, "the batch was still running when the service went away");
        proxy.GoAway();
        await Task.Delay(TimeSpan.FromSeconds(20));
        Assert.False(batch.IsCompleted, "the batch waited while the service was away: " + string.Join("; ", observer.Failures));
        proxy.ComeBack();
        await batch;

        Assert.Empty(observer.Failures);
        Assert.Null(observer.StoppedBy);
        Assert.Equal(6, observer.Made.Count);
        foreach (var source in sources) Assert.Equal("mp3", (await Media.ProbeAsync(Path.ChangeExtension(source, ".mp3"))).Audio.Codec);
        Assert.Equal(6, emu.Store.AgentMessages); // no edit paid for twice
        Assert.Contains(waits, w => w.Error?.Contains("connection refused") == true); // the port refused, and that was waited out
        Assert.NotEmpty(waits); // each wait is said (-Verbose)
        Assert.Contains("waited out", waits.First().ToString());
        Assert.Empty(new PaidWorkJournal(_env.ConfigDirectory).List()); // everything delivered: nothing left waiting
    }

    [Fact]
    public async Task An_address_that_never_answered_is_said_at_once_without_the_outage_wait()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var retries = 0;
        using var client = _env.Client(new Uri($"http://127.0.0.1:{port}/"), configure: o =>
        {
            o.OutageWindow = TimeSpan.FromMinutes(5);
            o.Trace = r => { if (r.RetryDelay != null) Interlocked.Increment(ref retries); };
        });
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => client.FetchAnonymousTokenAsync("id"));
        Assert.Equal(NemoErrorKind.Unreachable, ex.Kind);
        Assert.Contains("connection refused", ex.Message);
        Assert.Contains("NEMO_API_URL", ex.Advice);
        Assert.Equal(0, retries); // no wait at all, counted rather than timed
    }

    [Fact]
    public async Task An_outage_longer_than_the_window_stops_the_batch_with_one_error_and_keeps_the_paid_work()
    {
        await using var emu = await Emulators.StartAsync(o => { o.AgentThinkTime = TimeSpan.FromMilliseconds(300); o.MinRenderTime = TimeSpan.FromSeconds(3); o.AnonymousCredits = 1000; });
        await using var proxy = TcpProxy.Start(emu.BaseUri);
        using var client = _env.Client(proxy.BaseUri, configure: o => o.OutageWindow = TimeSpan.FromSeconds(3));
        var sources = await SourcesAsync(4);
        var requests = sources.Select(s => (MediaJobRequest)new Mp3Request(s, Path.ChangeExtension(s, ".mp3"), 128)).ToList();
        var observer = new Observer();
        var engine = Engine(client);
        var batch = new BatchRunner((r, p, ct) => engine.RunAsync(r, p, ct), throttle: 2).RunAsync(requests, observer, CancellationToken.None);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (emu.Store.RenderCount < 1 && !batch.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(20);
        proxy.GoAway(); // and it does not come back
        await batch;

        Assert.NotNull(observer.StoppedBy);
        Assert.Equal(NemoErrorKind.Outage, observer.StoppedBy!.Kind);
        Assert.Contains("stopped answering", observer.StoppedBy.Message);
        Assert.Empty(observer.Failures); // said once, not once a file
        Assert.Equal(Enumerable.Range(0, 4).Except(observer.Made), observer.NotConverted);
        Assert.Contains(2, observer.NotConverted); Assert.Contains(3, observer.NotConverted); // never started
        Assert.NotEmpty(new PaidWorkJournal(_env.ConfigDirectory).List()); // the paid edit waits for the next run
    }

    [Theory]
    [InlineData(null, 300)]
    [InlineData("600", 600)]
    [InlineData("0", 0)]
    [InlineData("00:02:00", 120)]
    public void NEMO_OUTAGE_WINDOW_is_seconds_or_hh_mm_ss(string? value, int seconds)
    {
        _env.Set("NEMO_OUTAGE_WINDOW", value);
        Assert.Equal(TimeSpan.FromSeconds(seconds), NemoClientOptions.ResolveOutageWindow(_env.Environment));
    }

    [Fact]
    public void A_NEMO_OUTAGE_WINDOW_that_is_not_a_duration_is_said()
    {
        _env.Set("NEMO_OUTAGE_WINDOW", "five minutes");
        var ex = Assert.Throws<NemoApiException>(() => NemoClientOptions.ResolveOutageWindow(_env.Environment));
        Assert.Equal(NemoErrorKind.InvalidRequest, ex.Kind);
        Assert.Contains("NEMO_OUTAGE_WINDOW", ex.Advice);
    }

    private sealed class Observer : IBatchObserver
    {
        public readonly ConcurrentBag<int> Made = new();
        public readonly ConcurrentQueue<string> Failures = new();
        public IReadOnlyList<int> NotConverted = Array.Empty<int>();
        public NemoApiException? StoppedBy;
        public void Started(int index) { }
        public void Progress(int index, JobProgress progress) { }
        public void Completed(int index, JobResult result) => Made.Add(index);
        public void Failed(int index, Exception error) => Failures.Enqueue($"{index}: {error.Message}");
        public void Stopped(IReadOnlyList<int> notConverted, NemoApiException cause) { NotConverted = notConverted; StoppedBy = cause; }
    }
}

/// <summary>
/// A TCP proxy in front of a server whose port can go away: <see cref="GoAway"/> closes the listening socket (new
/// connections are refused) and resets every open connection on the client's side, as a network outage does; the
/// server's side of a request under way is left to finish, as a service that stayed up behind a broken network does.
/// <see cref="ComeBack"/> listens on the same port again.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly object _gate = new();
    private readonly List<(Socket Client, Socket Server)> _open = new();
    private readonly List<Socket> _abandoned = new();
    private Socket? _listener;
    private int _refused;

    private TcpProxy(Uri upstream)
    {
        _upstream = new IPEndPoint(IPAddress.Parse(upstream.Host), upstream.Port);
    }

    public Uri BaseUri { get; private set; } = null!;
    public int Port { get; private set; }
    /// <summary>Connections reset by <see cref="GoAway"/>, plus one for each outage (the refusals themselves are the kernel's).</summary>
    public int Refused => Volatile.Read(ref _refused);

    public static TcpProxy Start(Uri upstream)
    {
        var proxy = new TcpProxy(upstream);
        proxy.Listen(0);
        proxy.BaseUri = new Uri($"http://127.0.0.1:{proxy.Port}/");
        return proxy;
    }

    private void Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(64);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        lock (_gate) _listener = listener;
        _ = AcceptLoopAsync(listener);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (true)
        {
            Socket client;
            try { client = await listener.AcceptAsync(); }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException) { return; }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await server.ConnectAsync(_upstream); }
            catch (SocketException) { client.Close(0); server.Dispose(); continue; }
            var pair = (client, server);
            lock (_gate) _open.Add(pair);
            _ = PumpAsync(client, server, pair, toClient: false);
            _ = PumpAsync(server, client, pair, toClient: true);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, (Socket Client, Socket Server) pair, bool toClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None);
                if (n == 0) break;
                bool cut;
                lock (_gate) cut = !_open.Contains(pair);
                if (cut)
                {
                    if (toClient) continue; // the server finishes what it was doing; its answer goes nowhere
                    break;
                }
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            if (toClient) { try { while (await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None) > 0) { } } catch (Exception e) when (e is SocketException or ObjectDisposedException) { } }
        }
        bool wasOpen;
        lock (_gate) wasOpen = _open.Remove(pair);
        if (wasOpen) { Close(pair.Client); Close(pair.Server); }
    }

    /// <summary>The port refuses connections, and every open connection is reset on the client's side.</summary>
    public void GoAway()
    {
        lock (_gate)
        {
            _listener?.Close();
            _listener = null;
            foreach (var (client, server) in _open)
            {
                try { client.LingerState = new LingerOption(true, 0); } catch (SocketException) { } catch (ObjectDisposedException) { }
                Close(client); // RST
                _abandoned.Add(server);
                Interlocked.Increment(ref _refused);
            }
            _open.Clear();
            Interlocked.Increment(ref _refused);
        }
    }

    /// <summary>Listens on the same port again; what the server was still sending to cut connections is dropped.</summary>
    public void ComeBack()
    {
        lock (_gate)
        {
            foreach (var server in _abandoned) Close(server);
            _abandoned.Clear();
        }
        Listen(Port);
    }

    private static void Close(Socket socket)
    {
        try { socket.Close(); } catch (SocketException) { } catch (ObjectDisposedException) { }
    }

    public ValueTask DisposeAsync()
    {
        GoAway();
        lock (_gate)
        {
            foreach (var server in _abandoned) Close(server);
            _abandoned.Clear();
        }
        return ValueTask.CompletedTask;
    }
}
