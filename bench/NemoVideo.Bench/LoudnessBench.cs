using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using NemoVideo.Jobs;
using NemoVideo.Local;

namespace NemoVideo.Bench;

/// <summary>
/// How close <c>ConvertTo-NemoMp3 -Loudness</c> lands, by a meter other than the one the module uses: loudgain
/// (libebur128). Raw espeak-ng speech (peak-to-loudness ratio near 20 dB, true peak near −1.5 dBTP) and a music-like mix,
/// at three targets, on the local engine as it is and, when a build of the module before the loudness change is given
/// (<c>--before</c>, a worktree of 02f0ecc with its core built), on that one too, loaded side by side.
/// </summary>
internal static class LoudnessBench
{
    private static readonly (double Integrated, double TruePeak)[] Targets = { (-16, -1), (-14, -1), (-23, -1) };

    public static async Task RunAsync(Results results, string work, string? beforeDir, int speechVariants, int musicVariants)
    {
        var dir = Directory.CreateDirectory(Path.Combine(work, "loudness")).FullName;
        var job = new LocalJob(FfmpegTools.Locate());
        var before = BeforeCore.TryLoad(beforeDir, out var why);
        var sources = new List<(string Group, string Path)>();
        for (var v = 0; v < speechVariants; v++) sources.Add(("speech", await SpeechAsync(dir, v)));
        for (var v = 0; v < musicVariants; v++) sources.Add(("music", await MusicAsync(dir, v)));

        var after = new List<Landing>();
        var old = new List<Landing>();
        foreach (var (group, src) in sources)
            foreach (var (t, tp) in Targets)
            {
                var name = $"{Path.GetFileNameWithoutExtension(src)}-{-t}";
                var output = Path.Combine(dir, name + ".mp3");
                var counter = new PassCounter();
                Exception? error = null;
                try { await job.RunAsync(new Mp3Request(src, output, 128) { Overwrite = true, Loudness = new LoudnessTarget(t, tp) }, counter); }
                catch (Exception e) { error = e; }
                after.Add(await LandingAsync(group, src, t, tp, output, error, counter.Passes));
                after.Last().Print();
                if (before is null) continue;
                var oldOutput = Path.Combine(dir, name + ".before.mp3");
                old.Add(await LandingAsync(group, src, t, tp, oldOutput, await before.RunAsync(src, oldOutput, t, tp), null));
                old.Last().Print();
            }

        foreach (var group in new[] { "speech", "music" })
            foreach (var (t, tp) in Targets)
            {
                var a = after.Where(l => l.Group == group && l.Target == t).ToList();
                var b = old.Where(l => l.Group == group && l.Target == t).ToList();
                var n = a.Count;
                var (aMed, aWorst) = Distances(a);
                var (bMed, bWorst) = Distances(b);
                var label = $"{n} {group} × {F(t, "0")} LUFS / {F(tp, "0")} dBTP";
                results.Add(new Row("Loudness", $"{label}: distance from the target by loudgain (LU), median / worst", $"{F(aMed)} / {F(aWorst)}{Made(a)}",
                    b.Count == 0 ? "–" : $"{F(bMed)} / {F(bWorst)} (before{Made(b)})", b.Count == 0 || bWorst == 0 ? double.NaN : aWorst / bWorst,
                    $"worst ≤ {F(LoudnessTarget.Tolerance, "0.0")}", aWorst <= LoudnessTarget.Tolerance, Raw(a) + (b.Count == 0 ? "" : "; before: " + Raw(b))));
                var (aPeak, bPeak) = (WorstPeak(a, tp), WorstPeak(b, tp));
                var corrected = a.Count(l => l.Passes > 1);
                results.Add(new Row("Loudness", $"{label}: worst true peak over the ceiling by loudgain (dB)", F(aPeak, "+0.00;-0.00"),
                    b.Count == 0 ? "–" : F(bPeak, "+0.00;-0.00") + " (before)", double.NaN, "≤ 0", aPeak <= 0,
                    $"{corrected} of {n} needed the corrected pass (seen in the progress reports); failed: after {a.Count(l => l.Error != null)}, before {b.Count(l => l.Error != null)}"
                    + string.Concat(a.Concat(b).Where(l => l.Error != null).Select(l => $"; {Path.GetFileName(l.Source)} {F(l.Target, "0")}: {l.Error}"))));
            }

        // The leveler on speech: the loudness range of the source, of the MP3 at -16 without -Level, and with it.
        var lraSource = new List<double>();
        var lraPlain = new List<double>();
        var lraLevel = new List<double>();
        var levelLandings = new List<Landing>();
        foreach (var (_, src) in sources.Where(s => s.Group == "speech"))
        {
            lraSource.Add((await LoudgainAsync(src)).Range);
            lraPlain.Add(after.Single(l => l.Source == src && l.Target == -16).Range);
            var output = Path.Combine(dir, Path.GetFileNameWithoutExtension(src) + "-level.mp3");
            Exception? error = null;
            try { await job.RunAsync(new Mp3Request(src, output, 128) { Overwrite = true, Loudness = new LoudnessTarget(-16, -1), Level = true }); }
            catch (Exception e) { error = e; }
            var landing = await LandingAsync("speech", src, -16, -1, output, error, null);
            landing.Print();
            levelLandings.Add(landing);
            if (error is null) lraLevel.Add(landing.Range);
        }
        var (lMed, lWorst) = Distances(levelLandings);
        results.Add(new Row("Loudness", $"{lraSource.Count} speech × -Loudness -16 -Level: loudness range by loudgain (LU), median, the source → the MP3",
            $"{F(Harness.Median(lraSource), "0.0")} → {F(Harness.Median(lraLevel), "0.0")}", $"{F(Harness.Median(lraPlain), "0.0")} (without -Level)",
            Harness.Median(lraLevel) / Harness.Median(lraSource), "lower", Harness.Median(lraLevel) < Harness.Median(lraSource),
            $"source [{Harness.Raw(lraSource, "0.0")}]; -Level [{Harness.Raw(lraLevel, "0.0")}]; without -Level [{Harness.Raw(lraPlain, "0.0")}]; "
            + $"with -Level the distance from -16 is {F(lMed)} median, {F(lWorst)} worst, true peak worst {F(WorstPeak(levelLandings, -1), "+0.00;-0.00")} dB over the ceiling; {levelLandings.Count(l => l.Error != null)} failed"));

        results.Note($"Loudness: {speechVariants} raw espeak-ng speech sources (about 30 s, four paragraphs by voices at uneven levels, plosive pops, pink room noise, scaled to a true peak of −1.5 dBTP) "
            + $"and {musicVariants} music-like ones (30 s, kick, snare, hats and a chord, quiet for 12 s then 6 dB louder, scaled to −0.5 dBTP), as the unit tests' RawAudio makes them; "
            + "each through the local engine to a 128 kbps MP3 at each target, measured afterwards by loudgain (libebur128), not by ffmpeg's ebur128 filter that the module uses. "
            + "The distance is |integrated − target|; the true peak is loudgain's, against the ceiling. The corrected pass is counted from the progress reports (a second encode 'at its loudness'). "
            + (before is null ? $"Before: not run ({why})." : $"Before: the same sources through the core built from {beforeDir} (02f0ecc, before the loudness change merged), loaded side by side in its own load context; it has no -Level."));
    }

    private sealed record Landing(string Group, string Source, double Target, double Integrated, double Range, double TruePeak, int? Passes, string? Error)
    {
        public double Distance => Math.Abs(Integrated - Target);
        public void Print() => Console.WriteLine($"  {Path.GetFileName(Source)} → {F(Target, "0")}: {F(Integrated, "0.00")} LUFS, LRA {F(Range, "0.0")}, TP {F(TruePeak, "0.00")}, passes {Passes?.ToString(CultureInfo.InvariantCulture) ?? "–"} {Error}");
    }

    private static async Task<Landing> LandingAsync(string group, string src, double t, double tp, string output, Exception? error, int? passes)
    {
        if (error != null || !File.Exists(output)) return new Landing(group, src, t, double.NaN, double.NaN, double.NaN, passes, (error?.Message ?? "no file").Split('\n')[0]);
        var (i, range, peak) = await LoudgainAsync(output);
        var landing = new Landing(group, src, t, i, range, peak, passes, null);
        File.Delete(output);
        return landing;
    }

    private static (double Median, double Worst) Distances(IReadOnlyCollection<Landing> l)
    {
        var d = l.Where(x => x.Error is null).Select(x => x.Distance).ToList();
        return d.Count == 0 ? (double.NaN, double.NaN) : (Harness.Median(d), d.Max());
    }

    private static double WorstPeak(IReadOnlyCollection<Landing> l, double ceiling)
    {
        var p = l.Where(x => x.Error is null).Select(x => x.TruePeak - ceiling).ToList();
        return p.Count == 0 ? double.NaN : p.Max();
    }

    private static string Raw(IEnumerable<Landing> l) => string.Join(", ", l.Select(x => x.Error is null
        ? $"{Path.GetFileNameWithoutExtension(x.Source)} {F(x.Integrated, "0.00")}/{F(x.TruePeak, "0.00")}" + (x.Passes is int p ? $" ({p} pass{(p == 1 ? "" : "es")})" : "")
        : $"{Path.GetFileNameWithoutExtension(x.Source)} failed"));

    /// <summary>Said when some jobs failed: the figures are of the files made.</summary>
    private static string Made(IReadOnlyCollection<Landing> l) =>
        l.Any(x => x.Error != null) ? $", of the {l.Count(x => x.Error is null)} of {l.Count} made; {l.Count(x => x.Error != null)} refused as missing the target" : "";

    private static string F(double v, string format = "0.00") => Harness.F(v, format);

    /// <summary>Counts the encodes 'at its loudness' a job ran: each starts again from the measuring pass's share.</summary>
    private sealed class PassCounter : IProgress<JobProgress>
    {
        private int _last = -1;
        public int Passes;

        public void Report(JobProgress value)
        {
            if (value.Stage != JobStage.Encoding || !value.Status.Contains("at its loudness", StringComparison.Ordinal) || value.Percent is not int percent) return;
            lock (this)
            {
                if (_last < 0 || percent < _last) Passes++;
                _last = percent;
            }
        }
    }

    /// <summary>Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP) as loudgain (libebur128) reads the file.</summary>
    private static async Task<(double Integrated, double Range, double TruePeak)> LoudgainAsync(string path)
    {
        var stdout = await Harness.RunAsync("loudgain", new[] { "-O", "-q", path });
        var cols = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Split('\t');
        static double D(string s) => double.Parse(s.Split(' ')[0], CultureInfo.InvariantCulture);
        return (D(cols[1]), D(cols[2]), D(cols[4]));
    }

    // The sources: the recipe of tests/Unit/Infrastructure/RawAudio.cs, which this project cannot reference.
    private static readonly string[] Paragraphs =
    {
        "Welcome back to the show. Today we are talking about how recordings are made louder without sounding worse, and why meters disagree.",
        "When two people talk into one microphone, one of them is nearly always closer, and the listener keeps turning the volume up and down.",
        "Raw speech has sharp consonants, plosives and sudden laughs that sit far above its average level. Now read this one loudly, with energy!",
        "And back to a quiet voice, as if nothing had happened at all. Thank you for listening, and see you next week.",
    };

    private static readonly (string Voice, double Gain)[] Speakers = { ("en+m3", 0), ("en+f3", -8), ("en+m1", 1), ("en+f2", -6) };

    private static async Task<string> SpeechAsync(string dir, int variant, double truePeak = -1.5, double pops = 0.8)
    {
        var voices = new List<string>();
        for (var i = 0; i < Paragraphs.Length; i++)
        {
            var wav = Path.Combine(dir, $"espeak-{variant}-{i}.wav");
            var (voice, _) = Speakers[(i + variant) % Speakers.Length];
            await Harness.RunAsync("espeak-ng", new[] { "-v", voice, "-a", "60", "-s", (160 + 10 * variant).ToString(CultureInfo.InvariantCulture), "-w", wav, Paragraphs[i] });
            voices.Add(wav);
        }
        var unscaled = Path.Combine(dir, $"speech-{variant}-unscaled.wav");
        var args = new List<string> { "-hide_banner", "-loglevel", "error", "-y" };
        foreach (var v in voices) args.AddRange(new[] { "-i", v });
        args.AddRange(new[]
        {
            "-f", "lavfi", "-i", FormattableString.Invariant($"aevalsrc='{pops}*sin(2*PI*90*t)*exp(-mod(t\\,7.3)*60)*lt(mod(t\\,7.3)\\,0.08)':s=48000:d=60"),
            "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.002:sample_rate=48000:seed=7",
        });
        var graph = new StringBuilder();
        for (var i = 0; i < voices.Count; i++)
            graph.Append(FormattableString.Invariant($"[{i}:a]volume={Speakers[(i + variant) % Speakers.Length].Gain}dB,aresample=48000,apad=pad_dur=0.6[s{i}];"));
        for (var i = 0; i < voices.Count; i++) graph.Append(FormattableString.Invariant($"[s{i}]"));
        graph.Append(FormattableString.Invariant($"concat=n={voices.Count}:v=0:a=1[speech];[speech][{voices.Count}:a][{voices.Count + 1}:a]amix=inputs=3:duration=first:weights=1 1 1"));
        args.AddRange(new[] { "-filter_complex", graph.ToString(), "-ac", "2", "-c:a", "pcm_f32le", unscaled });
        await Harness.RunAsync("ffmpeg", args);
        return await ScaledAsync(unscaled, Path.Combine(dir, $"speech-{variant}.mkv"), truePeak);
    }

    private static async Task<string> MusicAsync(string dir, int variant, double truePeak = -0.5)
    {
        var root = 220 + 30 * variant;
        var unscaled = Path.Combine(dir, $"music-{variant}-unscaled.wav");
        await Harness.RunAsync("ffmpeg", new[]
        {
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", FormattableString.Invariant($"aevalsrc='(0.5+0.5*gt(t\\,12))*(0.9*sin(2*PI*55*t)*exp(-mod(t\\,0.5)*18)+0.25*(random(0)*2-1)*exp(-mod(t+0.25\\,0.5)*30)*gt(mod(t+0.25\\,1)\\,0.5)+0.06*(random(1)*2-1)*exp(-mod(t\\,0.125)*80)+0.12*(sin(2*PI*{root}*t)+sin(2*PI*{root * 1.26}*t)+sin(2*PI*{root * 1.5}*t))*(0.6+0.4*sin(2*PI*0.25*t)))|(0.5+0.5*gt(t\\,12))*(0.9*sin(2*PI*55*t)*exp(-mod(t\\,0.5)*18)+0.25*(random(2)*2-1)*exp(-mod(t+0.25\\,0.5)*30)*gt(mod(t+0.25\\,1)\\,0.5)+0.06*(random(3)*2-1)*exp(-mod(t\\,0.125)*80)+0.12*(sin(2*PI*{root * 1.12}*t)+sin(2*PI*{root * 1.335}*t)+sin(2*PI*{root * 1.68}*t))*(0.6+0.4*sin(2*PI*0.3*t)))':s=48000:d=30"),
            "-c:a", "pcm_f32le", unscaled,
        });
        return await ScaledAsync(unscaled, Path.Combine(dir, $"music-{variant}.mkv"), truePeak);
    }

    /// <summary>The mix scaled so that its true peak (ffmpeg's ebur128, as the tests do) is at <paramref name="truePeak"/>, as AAC in Matroska.</summary>
    private static async Task<string> ScaledAsync(string unscaled, string path, double truePeak)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-hide_banner", "-nostats", "-i", unscaled, "-af", "ebur128=peak=true", "-f", "null", "-" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await stdout;
        var peak = double.Parse(System.Text.RegularExpressions.Regex.Match(err, @"True peak:\s*Peak:\s*(-?[\d.]+) dBFS").Groups[1].Value, CultureInfo.InvariantCulture);
        await Harness.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-y", "-i", unscaled, "-af", FormattableString.Invariant($"volume={truePeak - peak:0.00}dB"), "-c:a", "aac", "-b:a", "192k", path });
        File.Delete(unscaled);
        return path;
    }

    /// <summary>The core as it was before the loudness change, loaded in its own context beside the current one, driven by reflection.</summary>
    private sealed class BeforeCore
    {
        private readonly Assembly _core;
        private readonly object _job;
        private readonly MethodInfo _run;

        private BeforeCore(Assembly core)
        {
            _core = core;
            var tools = core.GetType("NemoVideo.Local.FfmpegTools", true)!.GetMethod("Locate")!.Invoke(null, new object?[] { null })!;
            _job = Activator.CreateInstance(core.GetType("NemoVideo.Jobs.LocalJob", true)!, tools)!;
            _run = _job.GetType().GetMethods().Single(m => m.Name == "RunAsync" && !m.IsGenericMethodDefinition);
        }

        public static BeforeCore? TryLoad(string? worktree, out string why)
        {
            why = "no --before worktree given";
            if (worktree is null) return null;
            var dll = Path.Combine(worktree, "src", "NemoVideo.Core", "bin", "Release", "netstandard2.0", "NemoVideo.Core.dll");
            if (!File.Exists(dll)) { why = $"{dll} not built (dotnet build {worktree}/src/NemoVideo.Core -c Release)"; return null; }
            why = "";
            return new BeforeCore(new CoreContext(dll).LoadFromAssemblyPath(dll));
        }

        /// <summary>The job's error, or null when it made the file.</summary>
        public async Task<Exception?> RunAsync(string src, string output, double t, double tp)
        {
            try
            {
                var target = Activator.CreateInstance(_core.GetType("NemoVideo.Local.LoudnessTarget", true)!, t, tp)!;
                var request = _core.GetType("NemoVideo.Jobs.Mp3Request", true)!.GetConstructor(new[] { typeof(string), typeof(string), typeof(int), typeof(int?) })!
                    .Invoke(new object?[] { src, output, 128, null });
                request.GetType().GetProperty("Loudness")!.SetValue(request, target);
                request.GetType().GetProperty("Overwrite")!.SetValue(request, true);
                await (Task)_run.Invoke(_job, new object?[] { request, null, CancellationToken.None })!;
                return null;
            }
            catch (TargetInvocationException e) { return e.InnerException; }
            catch (Exception e) { return e; }
        }

        /// <summary>Only NemoVideo.Core comes from the old build; everything else (Polly, System.Text.Json…) is shared with the bench.</summary>
        private sealed class CoreContext(string path) : AssemblyLoadContext("nemo-core-before")
        {
            protected override Assembly? Load(AssemblyName name) => name.Name == "NemoVideo.Core" ? LoadFromAssemblyPath(path) : null;
        }
    }
}
