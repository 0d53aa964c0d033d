using System.Collections.Concurrent;

namespace NemoVideo.Tests.Infrastructure;

/// <summary>What the client really sent: method, path, headers and body of every request, seen on the wire side of the client.</summary>
public sealed class CapturingHandler : DelegatingHandler
{
    public CapturingHandler() : base(new HttpClientHandler { AllowAutoRedirect = false }) { }

    public ConcurrentQueue<SentRequest> Sent { get; } = new();

    public IEnumerable<SentRequest> To(string pathStart) => Sent.Where(r => r.Path.StartsWith(pathStart, StringComparison.Ordinal));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Multipart uploads are large and streamed: only JSON bodies are kept.
        var body = request.Content?.Headers.ContentType?.MediaType == "application/json" ? await request.Content.ReadAsStringAsync(cancellationToken) : null;
        Sent.Enqueue(new SentRequest(request.Method.Method, request.RequestUri!.AbsolutePath,
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body));
        return await base.SendAsync(request, cancellationToken);
    }
}

public sealed record SentRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string? Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
