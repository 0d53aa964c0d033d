using System.Net;
using NemoVideo.Auth;
using NemoVideo.Transfers;

namespace NemoVideo.Api;

public sealed partial class NemoApiClient
{
    private const int MaxRedirects = 5;
    private const int CopyBufferSize = 256 * 1024;

    /// <summary>
    /// The raw transfer of a finished render to <paramref name="destination"/>, whole or not at all (through
    /// <see cref="OutputFile"/>), without judging what the bytes are: the jobs do that (<see cref="Jobs.ExportJob"/>).
    /// </summary>
    public async Task<FileInfo> DownloadRenderAsync(RenderJob job, string destination, bool overwrite,
        IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        using var output = OutputFile.Create(destination, overwrite);
        await DownloadRenderAsync(job, output, progress, ct).ConfigureAwait(false);
        return output.Commit();
    }

    /// <summary>
    /// Fetches a finished render into <paramref name="output"/>'s temporary file: from its output URL without the
    /// token (a CDN is not the API), else from the API's fallback download with it. The length is checked against
    /// Content-Length; the caller checks what the file is and commits it.
    /// </summary>
    public async Task DownloadRenderAsync(RenderJob job, OutputFile output, IProgress<TransferProgress>? progress = null, CancellationToken ct = default)
    {
        var temp = output.TempPath;
        NemoApiException? cdnFailure = null;
        if (job.OutputUrl != null)
        {
            try
            {
                await WithoutTokenAsync(c => DownloadOnceAsync(job.OutputUrl, null, temp, progress, c), ct).ConfigureAwait(false);
            }
            catch (NemoApiException ex) when (!ex.IsTransient || ex.StatusCode.HasValue)
            {
                cdnFailure = ex; // e.g. 403 from an expired signed URL: the API can still serve it
            }
        }
        if (job.OutputUrl == null || cdnFailure != null)
        {
            var path = "api/render/proxy/" + Uri.EscapeDataString(job.Id) + "/download";
            await WithTokenAsync((token, c) => DownloadOnceAsync(new Uri(BaseUri, path), token, temp, progress, c), ct).ConfigureAwait(false);
        }
    }

    /// <summary>One attempt: GET (following redirects, the token only to the API itself), stream to <paramref name="temp"/>, verify the length.</summary>
    private async Task<bool> DownloadOnceAsync(Uri url, NemoToken? token, string temp, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; ; hop++)
        {
            // The token goes only to the API's own origin; a redirect elsewhere goes without it.
            var sendToken = token != null && SameOrigin(current, BaseUri) ? token : null;
            using var request = sendToken != null ? CreateRequest(HttpMethod.Get, current.AbsolutePath.TrimStart('/') + current.Query, sendToken) : new HttpRequestMessage(HttpMethod.Get, current);
            using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            headersTimeout.CancelAfter(Options.RequestTimeout);
            using var response = await SendAsync(request, headersTimeout.Token, ct, Options.RequestTimeout).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is Uri location)
            {
                if (hop >= MaxRedirects) throw new NemoApiException(NemoErrorKind.Protocol, $"Too many redirects while downloading {url.AbsolutePath}");
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (current.Scheme != Uri.UriSchemeHttps && current.Scheme != Uri.UriSchemeHttp)
                    throw new NemoApiException(NemoErrorKind.Protocol, $"A download was redirected to a {current.Scheme}: address");
                continue;
            }
            if (!response.IsSuccessStatusCode)
            {
                var body = await Guard(() => response.Content.ReadAsStringAsync(), request, ct, Options.RequestTimeout).ConfigureAwait(false);
                Envelope.Unwrap(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body, RetryAfterOf(response));
                throw Envelope.Error(response.StatusCode, null, null, RetryAfterOf(response)); // unreachable: Unwrap throws on non-2xx
            }

            var expected = response.Content.Headers.ContentLength;
            var counter = new ByteCounter(progress, expected);
            counter.Reset();
            using var source = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var moved = new long[1];
            using var watchdog = new IdleWatchdog(() => Interlocked.Read(ref moved[0]), null, Options.TransferIdleTimeout, ct);
            try
            {
                // Large reads and plain (not overlapped) file writes: on Linux overlapped file I/O only adds thread hops.
                using var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
                var buffer = new byte[CopyBufferSize];
                while (true)
                {
                    // Fill the buffer from the network (which hands out small pieces), then write it in one go.
                    var filled = 0;
                    while (filled < buffer.Length)
                    {
                        var read = await ReadNetworkAsync(source, buffer, filled, buffer.Length - filled, watchdog.Token).ConfigureAwait(false);
                        if (read == 0) break;
                        filled += read;
                        Interlocked.Add(ref moved[0], read);
                    }
                    if (filled == 0) break;
                    file.Write(buffer, 0, filled); // the page cache takes it at once; an async write would only add a thread hop
                    counter.Add(filled);
                    ct.ThrowIfCancellationRequested();
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new NemoApiException(NemoErrorKind.ServerError, $"The download stalled: nothing arrived for {Options.TransferIdleTimeout.TotalSeconds:0} s");
            }
            if (expected is long length && counter.Bytes != length)
                throw new NemoApiException(NemoErrorKind.ServerError, $"The download was cut short: {counter.Bytes} of {length} bytes arrived");
            if (counter.Bytes == 0)
                throw new NemoApiException(NemoErrorKind.Protocol, "The server sent an empty file");
            return true;
        }
    }

    /// <summary>A read from the network; its failures are transient (retried), unlike the disk's.</summary>
    private static async Task<int> ReadNetworkAsync(Stream source, byte[] buffer, int offset, int count, CancellationToken token)
    {
        try
        {
            return await source.ReadAsync(buffer, offset, count, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new NemoApiException(NemoErrorKind.ServerError, "The download was interrupted: " + ex.Message, inner: ex);
        }
    }

    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;
}
