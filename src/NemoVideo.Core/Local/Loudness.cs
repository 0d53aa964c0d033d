using System.Globalization;
using System.Text.RegularExpressions;
using NemoVideo.Media;

namespace NemoVideo.Local;
/// <summary>
/// Measures loudness with ffmpeg's ebur128 filter (decode only, no output file) and plans how to reach a target:
/// one linear gain when the true peak leaves room for it (nothing is compressed, so music is not pumped), else
/// loudnorm with the measured figures, which limits only where the peaks need it.
/// </summary>
public static class LoudnessMeter
{
    /// <summary>The true-peak headroom kept below the ceiling when planning: MP3 encoding adds a few tenths of a dB of inter-sample peak.</summary>
    public const double EncoderHeadroom = 0.6;

    private static readonly Regex Summary = new(
        @"Integrated loudness:\s*I:\s*(?<i>-?[\d.]+|-inf) LUFS\s*Threshold:\s*(?<t>-?[\d.]+|-inf) LUFS\s*Loudness range:\s*LRA:\s*(?<lra>-?[\d.]+) LU.*?(?:True|Sample) peak:\s*Peak:\s*(?<tp>-?[\d.]+|-inf) dBFS",
        RegexOptions.Singleline | RegexOptions.CultureInvariant);

    /// <summary>
    /// The ffmpeg arguments that measure audio track <paramref name="audioTypeIndex"/> of <paramref name="path"/>;
    /// <paramref name="truePeak"/> false reads the sample peak instead, at under half the cost (4× oversampling is most of it).
    /// </summary>
    public static IReadOnlyList<string> MeasureArgs(string path, int audioTypeIndex = 0, bool truePeak = true)
    {
        // The summary is logged at "info"; framelog=verbose keeps the ten lines a second out of it.
        var args = new List<string> { "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info" };
        if (path == "pipe:0") args.AddRange(new[] { "-f", "mp3" }); // what the encoder sends while it writes the file
        else args.AddRange(new[] { "-progress", "pipe:1" });
        args.AddRange(new[] { "-i", path, "-map", "0:a:" + audioTypeIndex.ToString(CultureInfo.InvariantCulture), "-vn", "-sn", "-dn",
            "-af", "ebur128=peak=" + (truePeak ? "true" : "sample") + ":framelog=verbose", "-f", "null", "-" });
        return args;
    }

    /// <summary>Measures the file; <paramref name="progress"/> gets the share done (0..1) when the duration is known.</summary>
    public static async Task<LoudnessReading> MeasureAsync(FfmpegTools tools, string path, int audioTypeIndex, TimeSpan? duration,
        Action<double>? progress, CancellationToken ct, bool truePeak = true)
    {
        var run = await FfmpegTools.RunAsync(tools.Ffmpeg, MeasureArgs(path, audioTypeIndex, truePeak), line =>
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
    /// The audio filter that takes audio measured as <paramref name="source"/> to <paramref name="target"/>, with
    /// <paramref name="correction"/> LU added (a second try after the encode came out a little off).
    /// </summary>
    public static string FilterFor(LoudnessTarget target, LoudnessReading source, int sampleRate, double correction = 0)
    {
        var gain = target.Integrated - source.Integrated + correction;
        var ceiling = target.TruePeak - EncoderHeadroom;
        if (source.TruePeak + gain <= ceiling) return string.Format(CultureInfo.InvariantCulture, "volume={0:0.00}dB", gain);
        // Not enough headroom for a plain gain: loudnorm, told what was measured, limits the peaks; it works at 192 kHz, so resample back.
        var lra = Math.Max(7, Math.Min(20, Math.Ceiling(source.Range + 1)));
        return string.Format(CultureInfo.InvariantCulture,
            "loudnorm=I={0:0.0}:TP={1:0.0}:LRA={2:0}:measured_I={3:0.00}:measured_TP={4:0.00}:measured_LRA={5:0.00}:measured_thresh={6:0.00}:offset={7:0.00}:linear=true,aresample={8}",
            target.Integrated + correction, ceiling, lra, source.Integrated, source.TruePeak, source.Range, source.Threshold, 0.0, sampleRate);
    }

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
