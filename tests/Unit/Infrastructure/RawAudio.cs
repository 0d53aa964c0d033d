using System.Globalization;

namespace NemoVideo.Tests;

/// <summary>
/// Sources as people record them, for loudness: raw speech made with espeak-ng (speakers at uneven levels, a few
/// plosive pops, room noise, the true peak near −1.5 dBTP, so a peak-to-loudness ratio near 20 dB) and a music-like mix
/// (kick, snare, hats and a chord, a quiet half then a loud one, peaking near −0.5 dBTP). Measured by loudgain
/// (libebur128), a meter other than ffmpeg's that the module uses.
/// </summary>
public static class RawAudio
{
    private static readonly string Folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-test-media")).FullName;

    private static readonly string[] Paragraphs =
    {
        "Welcome back to the show. Today we are talking about how recordings are made louder without sounding worse, and why meters disagree.",
        "When two people talk into one microphone, one of them is nearly always closer, and the listener keeps turning the volume up and down.",
        "Raw speech has sharp consonants, plosives and sudden laughs that sit far above its average level. Now read this one loudly, with energy!",
        "And back to a quiet voice, as if nothing had happened at all. Thank you for listening, and see you next week.",
    };

    /// <summary>Voice and level (dB) of each paragraph: two speakers, the second well below the first.</summary>
    private static readonly (string Voice, double Gain)[] Speakers = { ("en+m3", 0), ("en+f3", -8), ("en+m1", 1), ("en+f2", -6) };

    /// <summary>
    /// About 30 s of raw speech in a Matroska file (AAC, 48 kHz stereo), its true peak at <paramref name="truePeak"/>
    /// dBTP; <paramref name="pops"/>: the plosive pops' amplitude (the peak-to-loudness ratio grows with it).
    /// </summary>
    public static async Task<string> SpeechAsync(double truePeak = -1.5, double pops = 0.8, int variant = 0)
    {
        var name = FormattableString.Invariant($"raw-speech-v1-{variant}-{pops:0.00}-{truePeak:0.0}.mkv");
        var voices = new List<string>();
        for (var i = 0; i < Paragraphs.Length; i++)
        {
            var wav = Path.Combine(Folder, FormattableString.Invariant($"espeak-v1-{variant}-{i}.wav"));
            if (!File.Exists(wav))
            {
                var temp = wav + "." + Guid.NewGuid().ToString("N")[..8] + ".wav";
                var (voice, _) = Speakers[(i + variant) % Speakers.Length];
                var (code, _, err) = await Media.RunAsync("espeak-ng", new[] { "-v", voice, "-a", "60", "-s", (160 + 10 * variant).ToString(CultureInfo.InvariantCulture), "-w", temp, Paragraphs[i] });
                if (code != 0) throw new InvalidOperationException("espeak-ng (apt install espeak-ng) failed: " + err);
                File.Move(temp, wav, overwrite: true);
            }
            voices.Add(wav);
        }
        // Mixed at unit level first, then scaled so the true peak is where it was asked.
        var unscaled = await Media.MadeAsync(FormattableString.Invariant($"raw-speech-v1-{variant}-{pops:0.00}-unscaled.wav"), path =>
        {
            var args = new List<string>();
            foreach (var v in voices) args.AddRange(new[] { "-i", v });
            args.AddRange(new[]
            {
                "-f", "lavfi", "-i", FormattableString.Invariant($"aevalsrc='{pops}*sin(2*PI*90*t)*exp(-mod(t\\,7.3)*60)*lt(mod(t\\,7.3)\\,0.08)':s=48000:d=60"),
                "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=0.002:sample_rate=48000:seed=7",
            });
            var graph = new System.Text.StringBuilder();
            for (var i = 0; i < voices.Count; i++)
                graph.Append(FormattableString.Invariant($"[{i}:a]volume={Speakers[(i + variant) % Speakers.Length].Gain}dB,aresample=48000,apad=pad_dur=0.6[s{i}];"));
            for (var i = 0; i < voices.Count; i++) graph.Append(FormattableString.Invariant($"[s{i}]"));
            graph.Append(FormattableString.Invariant($"concat=n={voices.Count}:v=0:a=1[speech];[speech][{voices.Count}:a][{voices.Count + 1}:a]amix=inputs=3:duration=first:weights=1 1 1"));
            args.AddRange(new[] { "-filter_complex", graph.ToString(), "-ac", "2", "-c:a", "pcm_f32le", path });
            return args;
        });
        return await ScaledAsync(unscaled, name, truePeak);
    }

    /// <summary>About 30 s of a music-like mix with a high crest factor (kick transients), quiet for 12 s then 6 dB louder, its true peak at <paramref name="truePeak"/>.</summary>
    public static async Task<string> MusicAsync(double truePeak = -0.5, int variant = 0)
    {
        var root = 220 + 30 * variant;
        var unscaled = await Media.MadeAsync($"music-like-v1-{variant}-unscaled.wav", path => new List<string>
        {
            "-f", "lavfi", "-i", FormattableString.Invariant($"aevalsrc='(0.5+0.5*gt(t\\,12))*(0.9*sin(2*PI*55*t)*exp(-mod(t\\,0.5)*18)+0.25*(random(0)*2-1)*exp(-mod(t+0.25\\,0.5)*30)*gt(mod(t+0.25\\,1)\\,0.5)+0.06*(random(1)*2-1)*exp(-mod(t\\,0.125)*80)+0.12*(sin(2*PI*{root}*t)+sin(2*PI*{root * 1.26}*t)+sin(2*PI*{root * 1.5}*t))*(0.6+0.4*sin(2*PI*0.25*t)))|(0.5+0.5*gt(t\\,12))*(0.9*sin(2*PI*55*t)*exp(-mod(t\\,0.5)*18)+0.25*(random(2)*2-1)*exp(-mod(t+0.25\\,0.5)*30)*gt(mod(t+0.25\\,1)\\,0.5)+0.06*(random(3)*2-1)*exp(-mod(t\\,0.125)*80)+0.12*(sin(2*PI*{root * 1.12}*t)+sin(2*PI*{root * 1.335}*t)+sin(2*PI*{root * 1.68}*t))*(0.6+0.4*sin(2*PI*0.3*t)))':s=48000:d=30"),
            "-c:a", "pcm_f32le", path,
        });
        return await ScaledAsync(unscaled, FormattableString.Invariant($"music-like-v1-{variant}-{truePeak:0.0}.mkv"), truePeak);
    }

    private static async Task<string> ScaledAsync(string unscaled, string name, double truePeak)
    {
        var (_, peak) = await Media.LoudnessAsync(unscaled);
        return await Media.MadeAsync(name, path => new List<string>
        {
            "-i", unscaled, "-af", FormattableString.Invariant($"volume={truePeak - peak:0.00}dB"), "-c:a", "aac", "-b:a", "192k", path,
        });
    }

    /// <summary>Integrated loudness (LUFS), loudness range (LU) and true peak (dBTP) as loudgain (libebur128) reads the file.</summary>
    public static async Task<(double Integrated, double Range, double TruePeak)> LoudgainAsync(string path)
    {
        var (code, stdout, err) = await Media.RunAsync("loudgain", new[] { "-O", "-q", path });
        if (code != 0) throw new InvalidOperationException("loudgain (apt install loudgain) failed: " + err + stdout);
        var cols = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().Split('\t');
        static double D(string s) => double.Parse(s.Split(' ')[0], CultureInfo.InvariantCulture);
        return (D(cols[1]), D(cols[2]), D(cols[4]));
    }
}
