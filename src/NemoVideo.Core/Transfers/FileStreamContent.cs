using System.Net;
using System.Net.Http.Headers;

namespace NemoVideo.Transfers;

/// <summary>
/// A file sent from disk in 80 KiB pieces, counting bytes as they go: memory stays flat whatever the
/// size, and the length is known up front so the request carries Content-Length.
/// </summary>
internal sealed class FileStreamContent : HttpContent
{
    private const int BufferSize = 81920;
    private readonly string _path;
    private readonly long _length;
    private readonly ByteCounter _counter;
    private readonly CancellationToken _ct;

    public FileStreamContent(string path, string contentType, ByteCounter counter, CancellationToken ct)
    {
        _path = path;
        _length = new FileInfo(path).Length;
        _counter = counter;
        _ct = ct;
        Headers.ContentType = new MediaTypeHeaderValue(contentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var buffer = new byte[BufferSize];
        int read;
        while ((read = await file.ReadAsync(buffer, 0, buffer.Length, _ct).ConfigureAwait(false)) > 0)
        {
            await stream.WriteAsync(buffer, 0, read, _ct).ConfigureAwait(false);
            _counter.Add(read);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length;
        return true;
    }
}
