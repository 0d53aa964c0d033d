using System.Globalization;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// The MP3 kind on this machine: a copy started while the source is read (for an MP3 source it is the whole job), a
/// loudness measured on the source and reached in the encode while a second ffmpeg measures the MP3 being written,
/// and one corrected pass when that misses.
/// </summary>
public sealed partial class Mp3Request
{
    // With a loudness target the job is: measure the source (decode only, sample peak), then encode with the gain while
    // a second ffmpeg measures the MP3 being written (true peak), both at once.
    private const double MeasureShare = 0.15;

    /// <summary>What the MP3 kind keeps between its hooks during one job.</summary>
    private sealed class Mp3State
    {
        public IReadOnlyList<string>? CopyArgs;
        public Task<ToolRun>? Copy;
        public CancellationTokenSource? StopCopy;
        /// <summary>The source's loudness and the filter that takes it to the target (null filter: silence).</summary>
        public LoudnessReading? SourceReading;
        public string? Filter;
        public int SampleRate;
        /// <summary>The gain over the plain one (dB) the filter applies, and how many LU the result moves per dB there (1 for a plain gain; less through the limiter, as its probe measured).</summary>
        public double ExtraGain;
        public double Slope = 1;
        /// <summary>The MP3 as measured while it was written.</summary>
        public LoudnessReading? Made;
        /// <summary>The finished MP3's loudness, the one the result reports.</summary>
        public LoudnessReading? Measured;
        /// <summary>The cloud: how the one audio track was taken out to be sent alone ("aac copied"); null when the whole file is sent.</summary>
        public string? SentAudio;
        /// <summary>The cloud: why the whole file is sent although only its audio is needed, and what would change that.</summary>
        public string? WhyWhole;
    }

    /// <summary>
    /// A request that may end as a plain stream copy starts copying while the source is read: for an MP3 source the
    /// copy is the whole job, and overlapping the two roughly halves it. Anything else makes the copy fail at once (the
    /// MP3 muxer takes only MP3), or it is stopped when the reading says otherwise.
    /// </summary>
    internal override void StartOnThisMachine(JobContext job, CancellationToken ct)
    {
        if (!Encoding.IsDefault || AudioLanguage is not null || Loudness is not null || Level) return;
        var state = job.KindState<Mp3State>();
        state.CopyArgs = CopyArgs(job.Source.FullName, (AudioTrack ?? 1) - 1, job.Output.TempPath);
        state.StopCopy = CancellationTokenSource.CreateLinkedTokenSource(ct);
        state.Copy = FfmpegTools.RunAsync(job.Tools.Ffmpeg, state.CopyArgs, null, state.StopCopy.Token);
        job.Defer(() => StopAsync(state));
    }

    /// <summary>Only what the managed inspector can tell is asked (tracks, codecs, length): ffprobe runs when it cannot. The same reading gives the tag what the source carries.</summary>
    internal override async Task ReadSourceAsync(JobContext job, CancellationToken ct) =>
        job.Info = MediaProbe.FromFacts(job.Source.FullName, job.ReadSourceFacts())
            ?? await MediaProbe.ProbeAsync(job.Tools, job.Source.FullName, ct).ConfigureAwait(false);

    /// <summary>A loudness target is measured on the source first (decode only), and the encode applies the gain.</summary>
    internal override async Task<LocalPlan> PlanOnThisMachineAsync(JobContext job, CancellationToken ct)
    {
        var state = job.KindState<Mp3State>();
        if (Loudness is LoudnessTarget target)
        {
            var info = job.Info!;
            var audio = PickAudio(info);
            var label = $"Measuring the loudness of {Path.GetFileName(info.Path)}";
            job.Report(JobStage.Encoding, 0, label);
            // The sample peak is enough to choose between a plain gain and the limiter: the MP3's true peak is measured anyway.
            // With -Level the leveler's output is what is measured, as it is what the gain is applied to.
            var leveler = Level ? LoudnessMeter.LevelerFilter : null;
            state.SourceReading = await LoudnessMeter.MeasureAsync(job.Tools, info.Path, audio.TypeIndex, info.Duration,
                share => job.Report(JobStage.Encoding, (int)(share * MeasureShare * 100), label), ct, truePeak: false, preFilter: leveler).ConfigureAwait(false);
            // MP3 takes 48 kHz at most; the limiter works at 192 kHz and is resampled back to this.
            state.SampleRate = Math.Min(48000, audio.SampleRate ?? 44100);
            if (!state.SourceReading.IsSilent)
            {
                // What cannot be met is said now, before anything is encoded (the cloud asks the same before it uploads).
                if (LoudnessMeter.CannotReach(target, state.SourceReading, job.Source.Name) is LocalEngineException refused) throw refused;
                if (!LoudnessMeter.PlainGainFits(target, state.SourceReading))
                {
                    // The limiter takes some loudness with the peaks: how much is measured first, so the encode lands mid-window.
                    job.Report(JobStage.Encoding, (int)(MeasureShare * 100), $"Measuring how {Path.GetFileName(info.Path)} limits");
                    (state.ExtraGain, state.Slope) = await LoudnessMeter.ProbeLimiterAsync(job.Tools, info.Path, audio.TypeIndex, target, state.SourceReading, leveler, ct).ConfigureAwait(false);
                }
                state.Filter = LoudnessMeter.FilterFor(target, state.SourceReading, state.SampleRate, state.ExtraGain, leveler);
            }
        }
        else if (Level)
        {
            // The leveler alone: the encode applies it, and the loudness is left where it comes out.
            state.Filter = LoudnessMeter.LevelerFilter;
        }
        return Plan(job.Info!, job.Output.TempPath, state.Filter, alsoToStdout: state.Filter != null && Loudness != null);
    }

    /// <summary>The copy already running when it is the plan; with a loudness target the MP3 is measured while it is made.</summary>
    internal override async Task EncodeAsync(JobContext job, LocalEncoder encoder, CancellationToken ct)
    {
        var state = job.KindState<Mp3State>();
        if (state.Copy != null)
        {
            if (job.Plan!.StreamCopied && job.Plan.Passes[0].SequenceEqual(state.CopyArgs!) && (await state.Copy.ConfigureAwait(false)).ExitCode == 0) return;
            await StopAsync(state).ConfigureAwait(false); // else: run the plan, which may do the same again
        }
        if (state.Filter != null && Loudness != null) state.Made = await encoder.RunMeasuredAsync(job.Plan!, MeasureShare, ct).ConfigureAwait(false);
        else await encoder.RunAsync(job.Plan!, Loudness is null ? (0, 1) : (MeasureShare, 1 - MeasureShare), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The MP3 as measured while it was made; one off target (the encoder's low-pass takes a little loudness away, an
    /// inter-sample peak the source's sample peak did not show) is encoded once more with the difference taken into
    /// account; still off, it is an error that says what came out. The file is read once that is settled.
    /// </summary>
    internal override async Task MeasureMadeAsync(JobContext job, LocalEncoder encoder, CancellationToken ct)
    {
        var state = job.KindState<Mp3State>();
        if (Loudness is not null && state.Filter is null)
            job.Warnings.Add(LoudnessMeter.Unmeasurable(job.Source.Name));
        else if (Loudness is LoudnessTarget goal)
            state.Measured = await CorrectLoudnessAsync(job, goal, state, encoder, ct).ConfigureAwait(false);
        await base.MeasureMadeAsync(job, encoder, ct).ConfigureAwait(false);
        // MP3 audio with nothing asked of it is copied, never re-encoded (that would only lose more); a copy below the
        // default the cloud encodes at is said, with how to get that rate.
        if (job.Plan?.StreamCopied == true && job.Facts?.AudioBitrateKbps is int kbps && kbps < Mp3Encoding.DefaultKbps)
            job.Warnings.Add($"'{Path.GetFileName(OutputPath)}' keeps the {kbps} kbps MP3 audio of '{job.Source.Name}' as it is (copied, not re-encoded); "
                + $"add -Bitrate {Mp3Encoding.DefaultKbps} to re-encode it at the default rate, which cannot add back what {kbps} kbps lost.");
    }

    /// <summary>How near the target a first encode must land to be kept: off by more, it is encoded once more, so results land mid-window rather than at its edge.</summary>
    internal const double Aim = 0.2;

    private async Task<LoudnessReading> CorrectLoudnessAsync(JobContext job, LoudnessTarget target, Mp3State state, LocalEncoder encoder, CancellationToken ct)
    {
        var made = state.Made!;
        var off = target.Integrated - made.Integrated;
        var peakOver = made.TruePeak > target.TruePeak;
        if (Math.Abs(off) <= Aim && !peakOver) return made;
        // The encoder's low-pass and the limiter each take a little: the difference is added, divided by how much of a
        // dB of gain reaches the result (the limiter's probe said). A true peak over the ceiling puts the limiter in.
        var source = state.SourceReading!;
        var extra = state.ExtraGain + (peakOver && Math.Abs(off) <= Aim ? 0 : off / state.Slope);
        var leveler = Level ? LoudnessMeter.LevelerFilter : null;
        // A true peak over the ceiling: the limiter, its ceiling lowered by twice the overshoot (a denser signal overshoots more in MP3) and 0.2 dB.
        var filter = peakOver
            ? (leveler is null ? "" : leveler + ",") + LoudnessMeter.LimitedGain(target.Integrated - source.Integrated + extra,
                target.TruePeak - LoudnessMeter.LimiterHeadroom - 2 * (made.TruePeak - target.TruePeak) - 0.2, state.SampleRate)
            : LoudnessMeter.FilterFor(target, source, state.SampleRate, extra, leveler);
        var measured = await encoder.RunMeasuredAsync(Plan(job.Info!, job.Output.TempPath, filter, alsoToStdout: true), MeasureShare, ct).ConfigureAwait(false);
        if (LoudnessMeter.Miss(target, measured) is string miss)
        {
            // Too quiet under the ceiling: the peaks held it back, so a higher ceiling or a quieter target would be met.
            var tooQuiet = measured.Integrated < target.Integrated;
            var room = measured.TruePeak - measured.Integrated;
            var advice = tooQuiet
                ? LoudnessMeter.Advice(Math.Floor((target.TruePeak - room) * 2) / 2, Math.Ceiling((target.Integrated + room) * 2) / 2)
                : "A quieter target (-Loudness) would be met.";
            throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                $"The MP3 made from '{job.Source.Name}' does not reach {target}: {miss} (the source measures {source})", advice);
        }
        return measured;
    }

    private static async Task StopAsync(Mp3State state)
    {
        if (state.Copy is null) return;
        state.StopCopy!.Cancel();
        try { await state.Copy.ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// One audio track to MP3; with <paramref name="audioFilter"/> (a loudness gain) the audio is always encoded, never
    /// copied, and with <paramref name="alsoToStdout"/> also written to standard output for a meter.
    /// </summary>
    internal LocalPlan Plan(MediaInfo info, string output, string? audioFilter = null, bool alsoToStdout = false)
    {
        var audio = PickAudio(info);
        var copy = audio.Codec == "mp3" && Encoding.IsDefault && audioFilter is null;
        if (copy) return new LocalPlan(new[] { CopyArgs(info.Path, audio.TypeIndex, output) }, (int?)(audio.BitRate / 1000), true);
        var codec = new List<string>();
        if (audioFilter != null) codec.AddRange(new[] { "-af", audioFilter });
        codec.AddRange(Encoding.EncodeKbps is int kbps
            ? new[] { "-c:a", "libmp3lame", "-b:a", kbps.ToString(CultureInfo.InvariantCulture) + "k" }
            : new[] { "-c:a", "libmp3lame", "-q:a", Encoding.VbrQuality!.Value.ToString(CultureInfo.InvariantCulture) });
        return new LocalPlan(new[] { Mp3Args(info.Path, audio.TypeIndex, codec, output, alsoToStdout) }, Encoding.EncodeKbps, false);
    }

    /// <summary>The audio track this request means, or the local engine's error saying which tracks there are.</summary>
    internal MediaStream PickAudio(MediaInfo info)
    {
        var audio = info.AudioStreams;
        var name = Path.GetFileName(info.Path);
        if (audio.Count == 0)
            throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has no audio track: there is nothing to extract") { TrackCount = 0 };
        if (AudioTrack is int n)
            return n <= audio.Count ? audio[n - 1]
                : throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has {audio.Count} audio track(s); there is no track {n}") { TrackCount = audio.Count };
        if (AudioLanguage is string lang)
        {
            var match = audio.FirstOrDefault(a => a.Language != null && (string.Equals(a.Language, lang, StringComparison.OrdinalIgnoreCase)
                || (lang.Length == 2 && a.Language.StartsWith(lang, StringComparison.OrdinalIgnoreCase))));
            return match ?? throw new MediaInputException(InputProblem.NoSuchTrack, info.Path, $"'{name}' has no audio track in '{lang}'",
                string.Join(", ", audio.Select((a, i) => $"{i + 1} ({a.Language ?? "no language tag"})"))) { TrackCount = audio.Count };
        }
        return audio[0];
    }

    private static List<string> CopyArgs(string source, int typeIndex, string output) => Mp3Args(source, typeIndex, new[] { "-c:a", "copy" }, output);

    /// <summary>
    /// One audio track to an MP3 file; title, artist and the rest go over into ID3v2.3 tags, which every player reads.
    /// <paramref name="alsoToStdout"/>: the same MP3 goes to standard output too (ffmpeg's tee muxer), for a meter to
    /// read while it is made; progress then goes to stderr.
    /// </summary>
    private static List<string> Mp3Args(string source, int typeIndex, IEnumerable<string> codec, string output, bool alsoToStdout = false)
    {
        var args = new List<string>(LocalEncoder.CommonArgs) { "-i", source, "-map", "0:a:" + typeIndex.ToString(CultureInfo.InvariantCulture), "-vn", "-sn", "-dn" };
        if (alsoToStdout) args[args.IndexOf("pipe:1")] = "pipe:2";
        args.AddRange(codec);
        args.AddRange(alsoToStdout
            ? new[] { "-map_metadata", "0", "-f", "tee", "[f=mp3:id3v2_version=3]" + TeeEscape(output) + "|[f=mp3]pipe:1" }
            : new[] { "-map_metadata", "0", "-id3v2_version", "3", "-f", "mp3", output });
        return args;
    }

    /// <summary>A path as the tee muxer reads it: its delimiters and the escape character escaped (Windows' backslashes too).</summary>
    internal static string TeeEscape(string path)
    {
        var sb = new System.Text.StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (c is '\\' or '|' or '[' or ']' or '\'') sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }
}
