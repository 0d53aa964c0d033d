using System.Globalization;

namespace NemoVideo.Jobs;

/// <summary>
/// What a render is asked to produce. Only <c>{"format":"mp4"}</c> is documented; the official CLI also sends
/// Remotion-style fields (<c>codec</c>, <c>crf</c>, <c>audioBitrate</c>, <c>videoBitrate</c>), the vocabulary of the
/// renderer that <c>/render/proxy/lambda</c> suggests sits behind it. Both are sent; what comes back is checked anyway.
/// </summary>
public sealed class RenderOutput
{
    public string Format { get; init; } = "mp4";
    public string Quality { get; init; } = "high";
    /// <summary>Remotion's codec: h264, h265, mp3, aac, wav…</summary>
    public string? Codec { get; init; }
    /// <summary>Remotion's audio bitrate, such as "320k".</summary>
    public string? AudioBitrate { get; init; }
    /// <summary>Remotion's video bitrate, such as "8000k".</summary>
    public string? VideoBitrate { get; init; }
    /// <summary>Remotion's constant rate factor (h264: 0–51, lower is better).</summary>
    public int? Crf { get; init; }

    /// <summary>A plain format choice (Invoke-NemoExport) in both vocabularies.</summary>
    public static RenderOutput ForFormat(string format, string quality = "high")
    {
        var f = (format ?? "mp4").Trim().ToLowerInvariant();
        return f switch
        {
            "mp3" => new RenderOutput { Format = f, Quality = quality, Codec = "mp3" },
            "wav" => new RenderOutput { Format = f, Quality = quality, Codec = "wav" },
            "aac" or "m4a" => new RenderOutput { Format = f, Quality = quality, Codec = "aac" },
            "webm" => new RenderOutput { Format = f, Quality = quality, Codec = "vp8" },
            "mov" => new RenderOutput { Format = f, Quality = quality, Codec = "prores" },
            _ => new RenderOutput { Format = f, Quality = quality, Codec = "h264", Crf = 23 },
        };
    }

    /// <summary>What a job asks for: the MP3 at its bitrate, or H.264/H.265 at the target bitrate (with the audio bitrate a target size counts on).</summary>
    public static RenderOutput For(MediaJobRequest request) => request switch
    {
        Mp3Request mp3 => new RenderOutput
        {
            Format = "mp3", Codec = "mp3",
            // Remotion has no VBR setting: a VBR request leaves the bitrate to the renderer, and the result is checked.
            AudioBitrate = mp3.Encoding.EncodeKbps is int kbps ? Kbps(kbps) : null,
        },
        CompressRequest c => new RenderOutput
        {
            Format = "mp4", Codec = c.Codec == VideoCodec.H265 ? "h265" : "h264", VideoBitrate = Kbps(c.VideoBitrateKbps),
            AudioBitrate = c.TargetSize is null ? null : Kbps(c.AudioBitrateKbps ?? SizeTarget.AudioKbps), // a target size counts on it
        },
        _ => ForFormat(request.OutputFormat),
    };

    private static string Kbps(int kbps) => kbps.ToString(CultureInfo.InvariantCulture) + "k";

    public override string ToString() =>
        Format + (Codec is null ? "" : " " + Codec) + (AudioBitrate is null ? "" : " " + AudioBitrate) + (VideoBitrate is null ? "" : " " + VideoBitrate) + (Crf is int crf ? " crf " + crf : "");
}
