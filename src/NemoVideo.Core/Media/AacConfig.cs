namespace NemoVideo.Media;

/// <summary>
/// What an ADTS header can say of an AAC track: the object type (1–4, written as profile = type − 1), the index of the
/// sample rate in the standard table, and the channel configuration (1–7). Read from an AudioSpecificConfig; HE-AAC
/// signalled explicitly (object type 5 or 29) gives its core type and core rate, as ffmpeg's ADTS muxer writes them and
/// as decoders expect (they find SBR and PS implicitly).
/// </summary>
internal readonly struct AacConfig
{
    /// <summary>The standard sample rates, by the index an AudioSpecificConfig and an ADTS header give.</summary>
    internal static readonly int[] Rates = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };

    public AacConfig(int objectType, int rateIndex, int channelConfig)
    {
        ObjectType = objectType; RateIndex = rateIndex; ChannelConfig = channelConfig;
    }

    public int ObjectType { get; }
    public int RateIndex { get; }
    public int ChannelConfig { get; }
    public int SampleRate => Rates[RateIndex];

    /// <summary>The config in <paramref name="b"/>[start..end), or null with the reason ADTS cannot carry it.</summary>
    public static AacConfig? TryParse(byte[] b, int start, int end, out string? whyNot)
    {
        whyNot = null;
        if (end - start < 2) { whyNot = "the AAC track has no AudioSpecificConfig"; return null; }
        var reader = new AacBits(b, start, end);
        int Bits(int n) => reader.Read(n);
        int ObjectType() => reader.ObjectType();

        var type = ObjectType();
        var rate = Bits(4);
        if (rate == 15) { whyNot = "the AAC track's sample rate is given explicitly, which an ADTS header cannot carry"; return null; }
        var channels = Bits(4);
        if (type is 5 or 29)
        {
            // Explicit SBR (and PS): the extension's rate, then the core's object type; the header takes the core.
            if (Bits(4) == 15) Bits(24);
            type = ObjectType();
        }
        if (type is < 1 or > 4) { whyNot = $"the AAC track's object type {type} cannot be written with ADTS headers (only Main, LC, SSR and LTP)"; return null; }
        if (rate > 12) { whyNot = $"the AAC track's sample rate index {rate} is reserved"; return null; }
        if (channels == 0) { whyNot = "the AAC track's channel layout is given by a program config element (channel configuration 0), which this writer does not carry"; return null; }
        if (channels > 7) { whyNot = $"the AAC track's channel configuration {channels} cannot be written with ADTS headers"; return null; }
        return new AacConfig(type, rate, channels);
    }

    /// <summary>The index of <paramref name="rate"/> in the standard table, or −1.</summary>
    public static int RateIndexOf(int rate) => Array.IndexOf(Rates, rate);

    /// <summary>The 7-byte ADTS header (no CRC) of a frame of <paramref name="payload"/> bytes, the same bytes ffmpeg's ADTS muxer writes.</summary>
    public void WriteHeader(byte[] b, int at, int payload)
    {
        var length = payload + 7;
        b[at] = 0xFF;
        b[at + 1] = 0xF1; // MPEG-4, layer 0, no CRC
        b[at + 2] = (byte)((ObjectType - 1) << 6 | RateIndex << 2 | ChannelConfig >> 2);
        b[at + 3] = (byte)((ChannelConfig & 3) << 6 | length >> 11);
        b[at + 4] = (byte)(length >> 3);
        b[at + 5] = (byte)((length & 7) << 5 | 0x1F); // buffer fullness 0x7FF: variable rate
        b[at + 6] = 0xFC;
    }
}

/// <summary>
/// What a player makes of an AAC AudioSpecificConfig: its channels and its output rate. With SBR (HE-AAC) signalled —
/// explicitly, object type 5 or 29 with the extension's rate, or backward compatibly, the 0x2B7 sync extension after
/// the GASpecificConfig — the output rate is the extension's (twice the core's, as ffprobe and players report it), and
/// parametric stereo (object type 29, or the 0x548 extension) makes a mono core stereo.
/// </summary>
internal sealed class AacOutput
{
    private static readonly int[] Rates = AacConfig.Rates;

    public int? Channels { get; private set; }
    public int? SampleRate { get; private set; }

    public static AacOutput Read(byte[] b, int start, int end)
    {
        var reader = new AacBits(b, start, end);
        int Bits(int n) => reader.Read(n);
        int ObjectType() => reader.ObjectType();
        int? Rate() { var i = Bits(4); return i == 15 ? Bits(24) : i < Rates.Length ? Rates[i] : null; }

        var type = ObjectType();
        var rate = Rate();
        var config = Bits(4);
        int? output = null;
        var ps = false;
        if (type is 5 or 29)
        {
            ps = type == 29;
            output = Rate();
            type = ObjectType();
        }
        else if (type is 1 or 2 or 3 or 4 or 6 or 7 or 17 or 19 or 20 or 21 or 22 or 23)
        {
            // GASpecificConfig: frameLengthFlag, dependsOnCoreCoder (and its 14-bit delay), extensionFlag.
            Bits(1);
            if (Bits(1) == 1) Bits(14);
            var extension = Bits(1);
            if (config == 0) return new AacOutput { SampleRate = rate }; // a program config element follows: not read
            if (type is 6 or 20) Bits(3);
            if (extension == 1)
            {
                if (type == 22) Bits(16);
                if (type is 17 or 19 or 20 or 23) Bits(3);
                Bits(1);
            }
            if (reader.Left >= 16 && Bits(11) == 0x2B7 && ObjectType() == 5 && Bits(1) == 1)
            {
                output = Rate();
                if (reader.Left >= 12 && Bits(11) == 0x548) ps = Bits(1) == 1;
            }
        }
        var channels = config is >= 1 and <= 6 ? config : config == 7 ? 8 : (int?)null;
        if (ps && channels == 1) channels = 2;
        return new AacOutput { Channels = channels, SampleRate = output ?? rate };
    }
}

/// <summary>An AudioSpecificConfig read bit by bit, most significant first; past its end, zeros.</summary>
internal sealed class AacBits
{
    private readonly byte[] _b;
    private readonly int _start, _end;
    private int _bit;

    public AacBits(byte[] b, int start, int end) => (_b, _start, _end) = (b, start, end);

    /// <summary>The bits not yet read.</summary>
    public int Left => (_end - _start) * 8 - _bit;

    public int Read(int n)
    {
        var v = 0;
        for (var k = 0; k < n; k++, _bit++)
        {
            var at = _start + _bit / 8;
            v = v << 1 | (at < _end ? _b[at] >> (7 - _bit % 8) & 1 : 0);
        }
        return v;
    }

    /// <summary>5 bits, or 6 more after the escape 31.</summary>
    public int ObjectType()
    {
        var t = Read(5);
        return t == 31 ? 32 + Read(6) : t;
    }
}

/// <summary>Writes frames to the destination through one large buffer: AAC frames each behind an ADTS header, MP3 frames as they are.</summary>
internal sealed class FrameWriter
{
    /// <summary>The most an ADTS header's 13-bit length can say, header included.</summary>
    private const int MaxAdtsFrame = 8191;

    private readonly Stream _destination;
    private readonly AacConfig? _aac;
    private readonly byte[] _buffer = new byte[1 << 20];
    private int _count;

    public FrameWriter(Stream destination, AacConfig? aac)
    {
        _destination = destination;
        _aac = aac;
    }

    public long Written { get; private set; }
    public long Frames { get; private set; }

    public void Write(byte[] b, int offset, int count)
    {
        if (_aac is AacConfig aac)
        {
            if (count + 7 > MaxAdtsFrame) throw new InvalidDataException($"An AAC frame of {count} bytes is longer than an ADTS header can describe.");
            if (_count + 7 > _buffer.Length) Flush();
            aac.WriteHeader(_buffer, _count, count);
            _count += 7;
            Written += 7;
        }
        if (_count + count > _buffer.Length)
        {
            Flush();
            if (count > _buffer.Length) { _destination.Write(b, offset, count); Written += count; Frames++; return; }
        }
        Buffer.BlockCopy(b, offset, _buffer, _count, count);
        _count += count;
        Written += count;
        Frames++;
    }

    public void Flush()
    {
        if (_count == 0) return;
        _destination.Write(_buffer, 0, _count);
        _count = 0;
    }
}
