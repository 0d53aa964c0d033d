using System.Globalization;

namespace NemoVideo.Media;

/// <summary>What ffmpeg's ebur128 filter measured (EBU R128 / ITU-R BS.1770): integrated loudness, true peak, range.</summary>
public sealed class LoudnessReading
{
    public LoudnessReading(double integrated, double truePeak, double range, double threshold)
    {
        Integrated = integrated;
        TruePeak = truePeak;
        Range = range;
        Threshold = threshold;
    }

    /// <summary>Integrated loudness in LUFS (−70 for silence).</summary>
    public double Integrated { get; }
    /// <summary>The true peak in dBTP (4× oversampled).</summary>
    public double TruePeak { get; }
    /// <summary>Loudness range in LU.</summary>
    public double Range { get; }
    /// <summary>The gating threshold of the integrated measurement, in LUFS.</summary>
    public double Threshold { get; }

    /// <summary>Nothing above the absolute gate: there is nothing to bring up to a target.</summary>
    public bool IsSilent => Integrated <= -69.5;

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:0.0} LUFS, true peak {1:0.0} dBTP", Integrated, TruePeak);
}
