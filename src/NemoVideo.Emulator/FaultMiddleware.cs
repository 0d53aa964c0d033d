using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;

namespace NemoVideo.Emulator;

/// <summary>Applies the fault plan before the endpoints run. The admin routes are never faulted.</summary>
internal sealed class FaultMiddleware
{
    private readonly RequestDelegate _next;
    private readonly FaultPlan _plan;

    /// <summary>The HttpContext item under which an SSE injection rule reaches the agent endpoint.</summary>
    internal const string SseInjection = "nemo.sse-inject";

    public FaultMiddleware(RequestDelegate next, FaultPlan plan)
    {
        _next = next;
        _plan = plan;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var rule = path.StartsWith("/_emulator", StringComparison.Ordinal) ? null : _plan.Take(context.Request.Method, path);
        if (rule == null) { await _next(context); return; }

        if (rule.DelayMs > 0) await Task.Delay(rule.DelayMs, context.RequestAborted);
        if (rule.Drop) { Abort(context); return; }
        if (rule.Status != null || rule.Code != null)
        {
            var status = rule.Status ?? 200;
            context.Response.StatusCode = status;
            if (rule.RetryAfter is int ra) context.Response.Headers.RetryAfter = ra.ToString();
            if (rule.Location != null) { context.Response.Headers.Location = rule.Location; return; }
            if (rule.Html)
            {
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync($"<html><body><h1>{status} Bad Gateway</h1><p>nginx</p></body></html>");
            }
            else if (path.StartsWith("/api/render/", StringComparison.Ordinal))
            {
                await context.Response.WriteAsJsonAsync(new { success = false, error = rule.Message ?? $"fault {rule.Code ?? status}", code = rule.Code });
            }
            else
            {
                await context.Response.WriteAsJsonAsync(new { code = rule.Code ?? status, message = rule.Message ?? $"fault {rule.Code ?? status}", data = (object?)null });
            }
            return;
        }
        if (rule.SseInject != null) context.Items[SseInjection] = rule;
        if (rule.DropRequestAfterBytes is long inLimit)
            context.Request.Body = new CuttingStream(context.Request.Body, inLimit, () => Abort(context), reading: true, rule.StallMs);
        if (rule.DropResponseAfterBytes is long outLimit)
            context.Response.Body = new CuttingStream(context.Response.Body, outLimit, () => Abort(context), reading: false, rule.StallMs);
        try
        {
            await _next(context);
        }
        catch (ConnectionCutException)
        {
            // the planned cut happened
        }
    }

    internal static void Abort(HttpContext context)
    {
        // A reset, not a polite close, so the client sees what a broken network looks like.
        context.Features.Get<IConnectionLifetimeNotificationFeature>()?.RequestClose();
        context.Abort();
    }
}

internal sealed class ConnectionCutException : IOException
{
    public ConnectionCutException() : base("connection cut by the fault plan") { }
}

/// <summary>Passes bytes through until the limit, then cuts the connection — or, with a stall, pauses there once.</summary>
internal sealed class CuttingStream : Stream
{
    private readonly Stream _inner;
    private long _limit;
    private readonly Action _cut;
    private readonly bool _reading;
    private int? _stallMs;
    private long _count;

    public CuttingStream(Stream inner, long limit, Action cut, bool reading, int? stallMs = null)
    {
        _inner = inner;
        _limit = limit;
        _cut = cut;
        _reading = reading;
        _stallMs = stallMs;
    }

    /// <summary>At the limit: stall once (then pass everything), or cut.</summary>
    private async Task<bool> StallInsteadOfCutAsync(CancellationToken ct)
    {
        if (_stallMs is not int ms) return false;
        _stallMs = null;
        await Task.Delay(ms, ct);
        _limit = long.MaxValue;
        return true;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (_count >= _limit && !await StallInsteadOfCutAsync(ct)) { _cut(); throw new ConnectionCutException(); }
        var allowed = (int)Math.Min(buffer.Length, _limit - _count);
        var n = await _inner.ReadAsync(buffer.Slice(0, allowed), ct);
        _count += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        var allowed = (int)Math.Max(0, Math.Min(buffer.Length, _limit - _count));
        if (allowed > 0) { await _inner.WriteAsync(buffer.Slice(0, allowed), ct); _count += allowed; }
        if (allowed < buffer.Length)
        {
            await _inner.FlushAsync(ct);
            if (await StallInsteadOfCutAsync(ct))
            {
                await _inner.WriteAsync(buffer.Slice(allowed), ct);
                _count += buffer.Length - allowed;
                return;
            }
            await Task.Delay(50, ct); // let the bytes leave before the reset
            _cut();
            throw new ConnectionCutException();
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) => WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override Task FlushAsync(CancellationToken ct) => _inner.FlushAsync(ct);
    public override void Flush() => _inner.Flush();
    public override bool CanRead => _reading;
    public override bool CanWrite => !_reading;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _count; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
