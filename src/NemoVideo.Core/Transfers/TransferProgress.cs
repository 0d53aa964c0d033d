namespace NemoVideo.Transfers;

/// <summary>How far an upload or download has got.</summary>
public readonly struct TransferProgress
{
    public TransferProgress(long bytes, long? total)
    {
        BytesTransferred = bytes;
        TotalBytes = total;
    }

    public long BytesTransferred { get; }
    public long? TotalBytes { get; }
    /// <summary>0 to 100, or null when the size is unknown.</summary>
    public int? Percent => TotalBytes is long t && t > 0 ? (int)Math.Min(100, BytesTransferred * 100 / t) : null;
}

/// <summary>A running byte count shared by the parts of one transfer, reported at most every 64 KiB step.</summary>
internal sealed class ByteCounter
{
    private readonly IProgress<TransferProgress>? _progress;
    private readonly long? _total;
    private long _bytes;

    public ByteCounter(IProgress<TransferProgress>? progress, long? total)
    {
        _progress = progress;
        _total = total;
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public void Add(int count)
    {
        var now = Interlocked.Add(ref _bytes, count);
        _progress?.Report(new TransferProgress(now, _total));
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _bytes, 0);
        _progress?.Report(new TransferProgress(0, _total));
    }
}
