using System.Globalization;

namespace NemoVideo.Api;

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

    /// <summary>"320k": Remotion's way of writing a bitrate.</summary>
    public static string Kbps(int kbps) => kbps.ToString(CultureInfo.InvariantCulture) + "k";

    public override string ToString() =>
        Format + (Codec is null ? "" : " " + Codec) + (AudioBitrate is null ? "" : " " + AudioBitrate) + (VideoBitrate is null ? "" : " " + VideoBitrate) + (Crf is int crf ? " crf " + crf : "");
}
