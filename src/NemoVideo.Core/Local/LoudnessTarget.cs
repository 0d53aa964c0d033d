using System.Globalization;

namespace NemoVideo.Local;

/// <summary>A loudness to reach (EBU R128 / ITU-R BS.1770): integrated LUFS with a true-peak ceiling.</summary>
public sealed class LoudnessTarget
{
    /// <summary>How far the measured result may be from the target, in LU.</summary>
    public const double Tolerance = 0.5;

    /// <param name="integrated">−16 for podcasts, −23 for EBU R128 broadcast, −14 for music streaming; −36 to −6 LUFS.</param>
    /// <param name="truePeak">The ceiling, −9 to 0 dBTP (−1 by default, what the podcast directories ask).</param>
    public LoudnessTarget(double integrated, double truePeak = -1)
    {
        if (double.IsNaN(integrated) || integrated < -36 || integrated > -6)
            throw new ArgumentOutOfRangeException(nameof(integrated), integrated, "The loudness must be between -36 and -6 LUFS (podcasts use -16, EBU R128 broadcast -23).");
        if (double.IsNaN(truePeak) || truePeak < -9 || truePeak > 0)
            throw new ArgumentOutOfRangeException(nameof(truePeak), truePeak, "The true peak must be between -9 and 0 dBTP (-1 is usual).");
        Integrated = integrated;
        TruePeak = truePeak;
    }

    public double Integrated { get; }
    public double TruePeak { get; }

    public override string ToString() => string.Format(CultureInfo.InvariantCulture, "{0:0.#} LUFS (true peak {1:0.#} dBTP)", Integrated, TruePeak);
}
