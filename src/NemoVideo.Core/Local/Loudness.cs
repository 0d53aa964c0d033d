using System.Globalization;
using System.Text.RegularExpressions;
using NemoVideo.Media;

namespace NemoVideo.Local;
/// <summary>
/// Measures loudness with ffmpeg's ebur128 filter (decode only, no output file) and plans how to reach a target:
/// one linear gain when the true peak leaves room for it (nothing is compressed, so music is not pumped), else the
/// gain with a true-peak limiter (alimiter oversampled to 192 kHz), its cost in loudness measured first by a probe.
/// </summary>
public static class LoudnessMeter
{
    /// <summary>The true-peak headroom kept below the ceiling when planning: MP3 encoding adds a few tenths of a dB of inter-sample peak.</summary>
    public const double EncoderHeadroom = 0.6;

    /// <summary>The headroom kept below the ceiling behind the limiter: dense, limited audio overshoots more in MP3 (a dB at 128 kbps, measured).</summary>
    public const double LimiterHeadroom = 1.2;

    private static readonly Regex Summary = new(
        @"Integrated loudness:\s*I:\s*(?<i>-?[\d.]+|-inf) LUFS\s*Threshold:\s*(?<t>-?[\d.]+|-inf) LUFS\s*Loudness range:\s*LRA:\s*(?<lra>-?[\d.]+) LU.*?(?:True|Sample) peak:\s*Peak:\s*(?<tp>-?[\d.]+|-inf) dBFS",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>
    /// The ffmpeg arguments that measure audio track <paramref name="audioTypeIndex"/> of <paramref name="path"/>;
    /// <paramref name="truePeak"/> false reads the sample peak instead, at under half the cost (4× oversampling is most of it).
    /// </summary>
    public static IReadOnlyList<string> MeasureArgs(string path, int audioTypeIndex = 0, bool truePeak = true, string? preFilter = null)
    {
        // The summary is logged at "info"; framelog=verbose keeps the ten lines a second out of it.
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        if (path == "pipe:0") args.AddRange(new[] { "-f", "mp3" }); // what the encoder sends while it writes the file
        else args.AddRange(new[] { "-progress", "pipe:1" });
        args.AddRange(new[] { "-i", path, "-map", "0:a:" + audioTypeIndex.ToString(CultureInfo.InvariantCulture), "-vn", "-sn", "-dn",
            "-af", (preFilter is null ? "" : preFilter + ",") + "ebur128=peak=" + (truePeak ? "true" : "sample") + ":framelog=verbose", "-f", "null", "-" });
        return args;
    }

    /// <summary>Measures the file; <paramref name="progress"/> gets the share done (0..1) when the duration is known.</summary>
    public static async Task<LoudnessReading> MeasureAsync(FfmpegTools tools, string path, int audioTypeIndex, TimeSpan? duration,
        Action<double>? progress, CancellationToken ct, bool truePeak = true, string? preFilter = null)
    {
        var run = await FfmpegTools.RunAsync(tools.Ffmpeg, MeasureArgs(path, audioTypeIndex, truePeak, preFilter), line =>
        {
            if (progress != null && FfmpegProgress.TryRead(line, duration, out var share)) progress(share);
        }, ct).ConfigureAwait(false);
        return Read(run, $"'{Path.GetFileName(path)}'");
    }

    /// <summary>What a measuring run of ffmpeg read from <paramref name="what"/>, or the error that says it could not.</summary>
    internal static LoudnessReading Read(ToolRun run, string what) =>
        run.ExitCode == 0 && Parse(run.Stderr) is LoudnessReading reading ? reading : throw LocalEngineException.Failed("measure the loudness of " + what, run);

    /// <summary>The ebur128 summary in ffmpeg's log, or null.</summary>
    public static LoudnessReading? Parse(string log)
    {
        var m = Summary.Match(log);
        if (!m.Success) return null;
        static double D(string s) => s == "-inf" ? -70 : double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new LoudnessReading(D(m.Groups["i"].Value), m.Groups["tp"].Value == "-inf" ? -120 : D(m.Groups["tp"].Value), D(m.Groups["lra"].Value), D(m.Groups["t"].Value));
    }

    /// <summary>
    /// The deepest the limiter may take the peaks down (dB): short clicks over quiet speech need ten or more and stay
    /// transparent; past this the limiter is audibly distorting and the target is refused.
    /// </summary>
    public const double MaxLimiting = 13;

    /// <summary>
    /// The least room between the loudness asked and its true-peak ceiling (dB) that limited audio keeps; the densest
    /// masters keep about seven. A target closer to its ceiling than this is refused unless a plain gain reaches it.
    /// </summary>
    public const double MinPeakToLoudness = 7;

    /// <summary>
    /// The leveler (-Level) run before the loudness stage: ffmpeg's dynaudnorm over a 4.5 s window (15 frames of
    /// 300 ms) towards an RMS of 0.1, at most +18 dB, so a quiet speaker is brought up to a loud one's level.
    /// </summary>
    public const string LevelerFilter = "dynaudnorm=f=300:g=15:p=0.9:m=8:r=0.1";

    /// <summary>Whether a plain gain to <paramref name="target"/> leaves the peaks of <paramref name="source"/> under the planning ceiling.</summary>
    public static bool PlainGainFits(LoudnessTarget target, LoudnessReading source, double extraGain = 0) =>
        source.TruePeak + target.Integrated - source.Integrated + extraGain <= target.TruePeak - EncoderHeadroom;

    /// <summary>
    /// The audio filter that takes audio measured as <paramref name="source"/> to <paramref name="target"/>, with
    /// <paramref name="extraGain"/> dB added (what the limiter's probe or the encode's measurement said was missing):
    /// one linear gain when the peaks leave room for it (nothing is compressed, so music is not pumped), else the same
    /// gain with a true-peak limiter at the ceiling. <paramref name="leveler"/> (the -Level filter) runs first.
    /// </summary>
    public static string FilterFor(LoudnessTarget target, LoudnessReading source, int sampleRate, double extraGain = 0, string? leveler = null)
    {
        var gain = target.Integrated - source.Integrated + extraGain;
        var chain = PlainGainFits(target, source, extraGain)
            ? string.Format(CultureInfo.InvariantCulture, "volume={0:0.00}dB", gain)
            : LimitedGain(gain, target.TruePeak - LimiterHeadroom, sampleRate);
        return leveler is null ? chain : leveler + "," + chain;
    }

    /// <summary>
    /// <paramref name="gain"/> dB, then a lookahead limiter holding the true peak at <paramref name="ceiling"/> dBTP:
    /// ffmpeg's alimiter sees only sample peaks, so it runs at 192 kHz (4× oversampled, as BS.1770 measures true
    /// peaks) and the result is resampled back. level=false keeps it from making up gain; latency=true keeps it in time. The gain comes before the upsampling (in float, so
    /// nothing clips): after dynaudnorm, ffmpeg 5.1 fails a volume filter placed between aresample and alimiter.
    /// </summary>
    internal static string LimitedGain(double gain, double ceiling, int sampleRate) => string.Format(CultureInfo.InvariantCulture,
        "volume={0:0.00}dB,aresample=192000,alimiter=limit={1:0.00000}:attack=5:release=50:level=false:latency=true,aresample={2}",
        gain, Math.Pow(10, ceiling / 20), sampleRate);

    /// <summary>The gains (dB over the plain one) the limiter's probe tries at once: two, as only the last 40 lines of ffmpeg's log are kept and each summary takes 14.</summary>
    internal static readonly double[] ProbeSteps = { 0, 2 };

    /// <summary>
    /// What the limiter costs in loudness, measured before anything is encoded: the source (through the leveler) is
    /// decoded once and limited at two gains side by side, each measured. Returns the extra gain (dB) that brings the
    /// limited audio to the target, and how many LU the result moves per dB of gain there (under 1: the limiter takes
    /// some back), which the corrected pass divides by.
    /// </summary>
    public static async Task<(double ExtraGain, double Slope)> ProbeLimiterAsync(FfmpegTools tools, string path, int audioTypeIndex,
        LoudnessTarget target, LoudnessReading source, string? leveler, CancellationToken ct)
    {
        var plain = target.Integrated - source.Integrated;
        var ceiling = target.TruePeak - LimiterHeadroom;
        var graph = new System.Text.StringBuilder();
        graph.Append(FormattableString.Invariant($"[0:a:{audioTypeIndex}]{(leveler is null ? "" : leveler + ",")}asplit={ProbeSteps.Length}"));
        for (var i = 0; i < ProbeSteps.Length; i++) graph.Append(FormattableString.Invariant($"[p{i}]"));
        for (var i = 0; i < ProbeSteps.Length; i++)
            graph.Append(FormattableString.Invariant($";[p{i}]{LimitedGain(plain + ProbeSteps[i], ceiling, 48000)},ebur128=peak=sample:framelog=verbose[m{i}]"));
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info", "-i", path, "-filter_complex", graph.ToString() };
        for (var i = 0; i < ProbeSteps.Length; i++) args.AddRange(new[] { "-map", $"[m{i}]", "-f", "null", "-" });
        var run = await FfmpegTools.RunAsync(tools.Ffmpeg, args, null, ct).ConfigureAwait(false);
        var readings = run.ExitCode == 0 ? ParseEach(run.Stderr) : null;
        if (readings is null || readings.Count != ProbeSteps.Length)
            throw LocalEngineException.Failed($"measure the limited loudness of '{Path.GetFileName(path)}'", run);
        return GainFromProbe(target.Integrated, readings.Select(r => r.Integrated).ToArray());
    }

    /// <summary>The extra gain at which the probe's loudnesses (measured at <see cref="ProbeSteps"/> over the plain gain) reach <paramref name="target"/>, interpolated (past the last, extrapolated), and the slope there.</summary>
    internal static (double ExtraGain, double Slope) GainFromProbe(double target, IReadOnlyList<double> measured)
    {
        for (var i = 0; i < ProbeSteps.Length - 1; i++)
        {
            var slope = Math.Max(0.2, (measured[i + 1] - measured[i]) / (ProbeSteps[i + 1] - ProbeSteps[i]));
            if (target <= measured[i + 1] || i == ProbeSteps.Length - 2)
                return (Math.Max(0, ProbeSteps[i] + (target - measured[i]) / slope), slope);
        }
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Each ebur128 summary in a log with several meters, in the order of the meters (the last summary of each: ffmpeg may print one for an empty first graph).</summary>
    internal static IReadOnlyList<LoudnessReading>? ParseEach(string log)
    {
        var byMeter = new SortedDictionary<int, LoudnessReading>();
        var marks = Regex.Matches(log, @"\[Parsed_ebur128_(\d+) @ [^\]]*\] Summary:");
        for (var i = 0; i < marks.Count; i++)
        {
            var from = marks[i].Index;
            var to = i + 1 < marks.Count ? marks[i + 1].Index : log.Length;
            if (Parse(log.Substring(from, to - from)) is LoudnessReading r) byMeter[int.Parse(marks[i].Groups[1].Value, CultureInfo.InvariantCulture)] = r;
        }
        return byMeter.Count == 0 ? null : byMeter.Values.ToList();
    }

    /// <summary>
    /// Why <paramref name="target"/> cannot be reached from a source measured as <paramref name="source"/> (named
    /// <paramref name="name"/>), with what would be, or null when it can: known from the source's measurement alone, so
    /// the cloud can refuse before anything is uploaded or paid for, as the local engine does before it encodes.
    /// </summary>
    public static LocalEngineException? CannotReach(LoudnessTarget target, LoudnessReading source, string name)
    {
        if (source.IsSilent || PlainGainFits(target, source)) return null;
        var ceiling = target.TruePeak - EncoderHeadroom;
        var limiting = source.TruePeak + target.Integrated - source.Integrated - ceiling;
        // What would: the loudest target within both limits at this ceiling, and the ceiling this target needs.
        var maxTarget = Math.Floor(Math.Min(target.TruePeak - MinPeakToLoudness, ceiling - (source.TruePeak - source.Integrated) + MaxLimiting) * 2) / 2;
        var minCeiling = Math.Ceiling(Math.Max(target.Integrated + MinPeakToLoudness, target.Integrated + (source.TruePeak - source.Integrated) - MaxLimiting + EncoderHeadroom) * 2) / 2;
        string why;
        if (target.TruePeak - target.Integrated < MinPeakToLoudness)
            why = string.Format(CultureInfo.InvariantCulture, "{0} leaves {1:0.#} dB between the loudness and its true-peak ceiling, and limited audio needs at least {2:0}",
                target, target.TruePeak - target.Integrated, MinPeakToLoudness);
        else if (limiting > MaxLimiting)
            why = string.Format(CultureInfo.InvariantCulture, "its peaks would have to come down {0:0.#} dB to reach {1}, more than the {2:0} dB a limiter takes without distorting",
                limiting, target, MaxLimiting);
        else return null;
        return new LocalEngineException(LocalErrorKind.ConversionFailed,
            $"'{name}' (measured {source}) cannot be brought to {target}: {why}; nothing was converted",
            Advice(maxTarget, minCeiling));
    }

    /// <summary>What would be met: a lower target, or (when there is one under 0 dBTP) a higher ceiling.</summary>
    internal static string Advice(double maxTarget, double minCeiling) => minCeiling <= 0
        ? string.Format(CultureInfo.InvariantCulture, "A target of {0:0.#} LUFS or lower (-Loudness), or a true peak ceiling of {1:0.#} dBTP or higher (-TruePeak), would be met.", maxTarget, minCeiling)
        : string.Format(CultureInfo.InvariantCulture, "A target of {0:0.#} LUFS or lower (-Loudness) would be met; no true peak ceiling under 0 dBTP meets this one.", maxTarget);

    /// <summary>What is said of a source with nothing above the gate: silence, or under the 0.4 s one measuring block needs.</summary>
    public static string Unmeasurable(string name) =>
        $"'{name}' has only silence (or is shorter than the 0.4 s loudness is measured over): its loudness was left as it is.";

    /// <summary>Why <paramref name="measured"/> does not meet <paramref name="target"/>, or null when it does.</summary>
    public static string? Miss(LoudnessTarget target, LoudnessReading measured)
    {
        if (Math.Abs(measured.Integrated - target.Integrated) > LoudnessTarget.Tolerance)
            return string.Format(CultureInfo.InvariantCulture, "it measures {0:0.0} LUFS, not {1:0.#} LUFS (±{2} LU)", measured.Integrated, target.Integrated, LoudnessTarget.Tolerance);
        if (measured.TruePeak > target.TruePeak + 0.05)
            return string.Format(CultureInfo.InvariantCulture, "its true peak is {0:0.0} dBTP, above the {1:0.#} dBTP asked", measured.TruePeak, target.TruePeak);
        return null;
    }
}
