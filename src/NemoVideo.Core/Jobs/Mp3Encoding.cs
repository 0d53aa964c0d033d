namespace NemoVideo.Jobs;

/// <summary>
/// How an MP3 is encoded — one choice, one value: a constant bitrate, a LAME VBR quality, or left to the default
/// (192 kbps, or the source's own MP3 audio copied as it is).
/// </summary>
public sealed class Mp3Encoding
{
    /// <summary>The bitrate used when none was asked for and the audio must be encoded.</summary>
    public const int DefaultKbps = 192;

    private Mp3Encoding(int? constantKbps, int? vbrQuality)
    {
        ConstantKbps = constantKbps;
        VbrQuality = vbrQuality;
    }

    /// <summary>Nothing asked: 192 kbps, or an MP3 source copied as it is.</summary>
    public static Mp3Encoding Default { get; } = new(null, null);

    /// <summary>A constant bitrate, 32 to 320 kbps.</summary>
    public static Mp3Encoding Constant(int kbps) => kbps is >= Mp3Request.MinBitrate and <= Mp3Request.MaxBitrate
        ? new Mp3Encoding(kbps, null)
        : throw new ArgumentOutOfRangeException(nameof(kbps), kbps, $"The MP3 bitrate must be between {Mp3Request.MinBitrate} and {Mp3Request.MaxBitrate} kbps.");

    /// <summary>LAME variable bitrate at quality 0 (best) to 9.</summary>
    public static Mp3Encoding Variable(int quality) => quality is >= 0 and <= 9
        ? new Mp3Encoding(null, quality)
        : throw new ArgumentOutOfRangeException(nameof(quality), quality, "VBR quality runs from 0 (best) to 9.");

    public int? ConstantKbps { get; }
    public int? VbrQuality { get; }
    public bool IsDefault => ConstantKbps is null && VbrQuality is null;
    /// <summary>The bitrate a constant-bitrate encode uses: the one asked for, or the default; null for VBR.</summary>
    public int? EncodeKbps => VbrQuality is null ? ConstantKbps ?? DefaultKbps : null;

    public override string ToString() => VbrQuality is int q ? $"VBR quality V{q}" : $"{EncodeKbps} kbps";
}
