using System.Diagnostics;

namespace NemoVideo.Emulator;

/// <summary>
/// The user's uplink, modelled so that a benchmark sees the wall time a user would: upload bodies are read no faster
/// than <see cref="EmulatorOptions.UploadMbps"/> megabits (10^6 bits) a second, through one pipe for the whole server,
/// so concurrent uploads share the rate. Each read books its bytes' airtime on one shared timeline and waits (a timer,
/// nothing spins) until the booking ends, less a small tolerance. A reader that comes back late through no fault of the
/// client's (a timer that fired late on a loaded machine, the disk) may catch up on that time: a real pipe would have
/// kept carrying bytes meanwhile. Time spent waiting for the client's own bytes is not caught up. The rate is read on
/// every read, so changing <see cref="EmulatorOptions.UploadMbps"/> at run time takes effect at once.
/// </summary>
public sealed class Uplink
{
    /// <summary>How far a read may run ahead of the timeline: the burst an idle pipe lets through at once.</summary>
    private static readonly long Tolerance = Stopwatch.Frequency / 50; // 20 ms
    /// <summary>The most a late reader may catch up on.</summary>
    private static readonly long MaxCatchUp = Stopwatch.Frequency; // 1 s
    private readonly EmulatorOptions _options;
    private readonly object _gate = new();
    private long _due; // Stopwatch time at which everything booked so far has gone through
    private long _bytes, _waitedTicks;

    public Uplink(EmulatorOptions options) => _options = options;

    /// <summary>The modelled rate in megabits a second; null when uploads are not limited.</summary>
    public double? Mbps => _options.UploadMbps is double m && m > 0 && !double.IsInfinity(m) ? m : null;

    /// <summary>Bytes that went through the modelled uplink.</summary>
    public long BytesPaced => Interlocked.Read(ref _bytes);

    /// <summary>Time reads spent waiting for the modelled uplink, summed over concurrent uploads.</summary>
    public TimeSpan TimeWaited => TimeSpan.FromSeconds(Interlocked.Read(ref _waitedTicks) / (double)Stopwatch.Frequency);

    /// <summary>The most one read takes: about 20 ms of airtime, so the pacing is smooth at any rate.</summary>
    internal int ChunkBytes => Mbps is double m ? (int)Math.Clamp(m * 1e6 / 8 / 50, 1024, 256 * 1024) : 256 * 1024;

    /// <summary>Books <paramref name="bytes"/> on the uplink and waits until they would have gone through.</summary>
    public async ValueTask PaceAsync(int bytes, CancellationToken ct) => await PaceAsync(bytes, 0, ct);

    /// <summary>
    /// Books <paramref name="bytes"/>, letting the timeline trail now by up to <paramref name="catchUp"/> (Stopwatch
    /// ticks the reader lost on its own side), and waits; answers when the booking was due to be released.
    /// </summary>
    private async ValueTask<long> PaceAsync(int bytes, long catchUp, CancellationToken ct)
    {
        if (bytes <= 0 || Mbps is not double mbps) return Stopwatch.GetTimestamp();
        long now, release;
        lock (_gate)
        {
            now = Stopwatch.GetTimestamp();
            _due = Math.Max(_due, now - Math.Clamp(catchUp, 0, MaxCatchUp)) + (long)(bytes * 8.0 / (mbps * 1e6) * Stopwatch.Frequency);
            release = _due - Tolerance;
        }
        Interlocked.Add(ref _bytes, bytes);
        if (release - now < Stopwatch.Frequency / 1000) return release; // under a millisecond ahead, or behind: go on
        await Task.Delay(TimeSpan.FromSeconds((release - now) / (double)Stopwatch.Frequency), ct);
        Interlocked.Add(ref _waitedTicks, Stopwatch.GetTimestamp() - now);
        return release;
    }

    /// <summary>The request body as read through the uplink; the body itself when uploads are not limited.</summary>
    internal Stream Wrap(Stream body) => Mbps is null ? body : new PacedStream(body, this);

    private sealed class PacedStream(Stream inner, Uplink uplink) : Stream
    {
        private long _released; // when this reader's last booking was due (0: none yet)

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            // From when the last booking was due to now is this side's delay (a late timer, hashing, writing), not the
            // client's; the time the read below waits for bytes is the client's.
            var catchUp = _released == 0 ? 0 : Stopwatch.GetTimestamp() - _released;
            var n = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, uplink.ChunkBytes)], ct);
            if (n > 0) _released = await uplink.PaceAsync(n, catchUp, ct);
            return n;
        }
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();
        public override bool CanRead => true;
        public override bool CanWrite => false;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
