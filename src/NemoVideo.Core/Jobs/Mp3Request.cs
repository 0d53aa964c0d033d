using System.Globalization;
using NemoVideo.Api;
using NemoVideo.Local;
using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>
/// Extract a video's audio as MP3: the kind of job behind ConvertTo-NemoMp3. Its plan on this machine (a copy, a
/// gain, a measured encode) is in Mp3Request.OnThisMachine.cs; here is what is asked, how the result is judged and
/// finished (the tag), and its shape (<see cref="Mp3Result"/>).
/// </summary>
public sealed partial class Mp3Request : MediaJobRequest<Mp3Result>
{
    public const int MinBitrate = 32;
    public const int MaxBitrate = 320;
    /// <summary>The MPEG-1 Layer III rates between 32 and 320 kbps, the ones worth tab-completing.</summary>
    public static readonly IReadOnlyList<int> StandardBitrates = new[] { 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320 };

    /// <summary>Encoded as <paramref name="encoding"/> (the default when null).</summary>
    public Mp3Request(string sourcePath, string outputPath, Mp3Encoding? encoding = null, int? audioTrack = null) : base(sourcePath, outputPath)
    {
        if (audioTrack is < 1)
            throw new ArgumentOutOfRangeException(nameof(audioTrack), audioTrack, "Audio tracks are numbered from 1.");
        Encoding = encoding ?? Mp3Encoding.Default;
        AudioTrack = audioTrack;
    }

    /// <summary>At a constant <paramref name="bitrateKbps"/>.</summary>
    public Mp3Request(string sourcePath, string outputPath, int bitrateKbps, int? audioTrack = null)
        : this(sourcePath, outputPath, Mp3Encoding.Constant(bitrateKbps), audioTrack) { }

    public Mp3Encoding Encoding { get; }
    /// <summary>Which audio track (1 = the first), or null for the default one.</summary>
    public int? AudioTrack { get; }
    /// <summary>Pick the audio track by its language tag (eng, ger, or en), instead of by number.</summary>
    public string? AudioLanguage { get; init; }
    /// <summary>Bring the audio to this loudness, measured on the finished MP3; null leaves the level as it is.</summary>
    public LoudnessTarget? Loudness { get; init; }
    /// <summary>
    /// Even out speakers recorded at different levels before the loudness is set (a leveler: ffmpeg's dynaudnorm over a
    /// few seconds on this machine; asked of the agent in words on the cloud).
    /// </summary>
    public bool Level { get; init; }
    /// <summary>Tags to set (ffprobe's names: title, artist, album, date, genre, comment…) over the source's; a null or empty value removes one.</summary>
    public IReadOnlyDictionary<string, string?> Tags { get; init; } = new Dictionary<string, string?>();
    /// <summary>The chapters to write instead of the source's; null carries the source's over.</summary>
    public IReadOnlyList<Media.MediaChapter>? Chapters { get; init; }
    /// <summary>The front cover to write instead of the source's own picture; null carries the source's over.</summary>
    public Media.CoverPicture? Cover { get; init; }

    /// <summary>Send the whole source, not only the audio track the job needs (for whoever wants the service to see the video).</summary>
    public bool SendWholeFile { get; init; }

    public override string Instruction => Ask(trackChosenHere: false);

    /// <summary>The track is not named when only that track was sent: the upload holds nothing else.</summary>
    internal override string InstructionFor(JobContext job) => Ask(trackChosenHere: job.KindState<Mp3State>().SentAudio != null);

    private string Ask(bool trackChosenHere) =>
        "Extract the audio as MP3 " + (Encoding.VbrQuality is int q ? $"at VBR quality V{q}" : $"at {Encoding.EncodeKbps} kbps")
        + (trackChosenHere ? "" : AudioTrack is int t ? $" (track {t})" : AudioLanguage is string l ? $" (the {l} audio track)" : "") + "."
        + (Loudness is LoudnessTarget n ? string.Format(CultureInfo.InvariantCulture,
            " Normalize the loudness to {0:0.#} LUFS integrated with the true peak at or below {1:0.#} dBTP, using a linear gain where possible.", n.Integrated, n.TruePeak) : "")
        + (Level ? " Level the speech first, so that quiet and loud speakers come out at the same loudness." : "");
    public override string OutputFormat => "mp3";
    /// <summary>Videos, and audio recordings (WAV and RF64, M4A, M4B, AAC, MP3, FLAC, Ogg/Opus) on both engines.</summary>
    public override IReadOnlyCollection<string> AcceptedExtensions => Sources;
    private static readonly IReadOnlyCollection<string> Sources = MediaRules.VideoExtensions.Concat(MediaRules.AudioSourceExtensions).ToArray();
    public override string SkillName => NemoClientOptions.Mp3Skill;

    public override RenderOutput RenderOutput => new()
    {
        Format = "mp3", Codec = "mp3",
        // Remotion has no VBR setting: a VBR request leaves the bitrate to the renderer, and the result is checked.
        AudioBitrate = Encoding.EncodeKbps is int kbps ? RenderOutput.Kbps(kbps) : null,
    };

    public override int? RequestedKbps => Encoding.EncodeKbps;

    public override int? MeasuredKbps(MediaFacts facts) => facts.AudioBitrateKbps;

    internal override void CheckBeforeCloud(JobContext job)
    {
        if (Loudness is not null && job.LocateFfmpeg() is null)
            throw new LocalEngineException(LocalErrorKind.ToolMissing,
                $"A loudness target for '{job.Source.Name}' is measured on the finished MP3 (and finished here when the service misses it) with ffmpeg, which is not on this machine; nothing was uploaded",
                LocalEngineException.InstallAdvice);
    }

    /// <summary>
    /// A request the source cannot meet is refused before the upload and the agent's paid edit, in the local engine's
    /// words: a named track or language is checked with ffprobe where it is installed; a plain request only needs
    /// audio, which the managed inspector sees in MP4/MOV and Matroska without starting a process.
    /// </summary>
    internal override async Task<MediaJobRequest> PrepareForCloudAsync(JobContext job, CancellationToken ct)
    {
        var source = job.Source;
        if (AudioTrack is null && AudioLanguage is null)
        {
            var facts = job.ReadSourceFacts();
            if (facts.HasVideo && !facts.HasAudio && facts.TracksKnown)
                throw new MediaInputException(InputProblem.NoSuchTrack, source.FullName, $"'{source.Name}' has no audio track: there is nothing to extract") { TrackCount = 0 };
        }
        else if (await job.TryProbeSourceAsync(ct).ConfigureAwait(false) is MediaInfo info) PickAudio(info);
        if (Loudness is LoudnessTarget target) await CheckReachableAsync(job, target, ct).ConfigureAwait(false);
        return this;
    }

    /// <summary>
    /// A loudness target the source cannot be brought to is known from the source's measurement (decode only, here) and
    /// refused before the upload and the paid edit, with the target and ceiling that would be met.
    /// </summary>
    private async Task CheckReachableAsync(JobContext job, LoudnessTarget target, CancellationToken ct)
    {
        if (await job.TryProbeSourceAsync(ct).ConfigureAwait(false) is not MediaInfo info) return; // the service has the last word on what it is
        var audio = PickAudio(info);
        var label = $"Measuring the loudness of {job.Source.Name}";
        job.Report(JobStage.Starting, null, label);
        var reading = await LoudnessMeter.MeasureAsync(job.LocateFfmpeg()!, job.Source.FullName, audio.TypeIndex, info.Duration,
            share => job.Report(JobStage.Starting, null, $"{label} ({share:P0})"), ct, truePeak: false, preFilter: Level ? LoudnessMeter.LevelerFilter : null).ConfigureAwait(false);
        if (LoudnessMeter.CannotReach(target, reading, job.Source.Name) is LocalEngineException refused) throw refused;
    }

    protected override string? JudgeKind(MediaFacts facts, string name, List<string> warnings)
    {
        if (facts.Container != MediaContainer.Mp3 || !facts.HasAudio) return $"it is {facts.Describe()}, not an MP3";
        if (Encoding.VbrQuality is int q && facts.IsVbr == false)
            warnings.Add($"'{name}' is constant {OutputCheck.Kbps(facts.AudioBitrateKbps)}, not variable bitrate V{q} as asked; it was kept as it is.");
        else if (Encoding.ConstantKbps is int asked && facts.AudioBitrateKbps is int measured && !OutputCheck.SameMp3Rate(measured, asked))
            warnings.Add($"'{name}' is {(facts.IsVbr == true ? "variable bitrate averaging " : "")}{measured} kbps, not {asked} kbps as asked; it was kept as it is (re-encoding would not improve it).");
        return null;
    }

    /// <summary>The loudness of the service's MP3, measured here, never taken from the request: off target, the job is done here from the source.</summary>
    internal override async Task<string?> JudgeRenderAsync(JobContext job, CancellationToken ct)
    {
        if (Loudness is not LoudnessTarget target) return null;
        job.Report(JobStage.Downloading, 100, $"Measuring the loudness of {Path.GetFileName(job.Output.Target)}");
        var loudness = await LoudnessMeter.MeasureAsync(job.LocateFfmpeg()!, job.Output.TempPath, 0, null, null, ct).ConfigureAwait(false);
        job.KindState<Mp3State>().Measured = loudness;
        if (loudness.IsSilent) job.Warnings.Add(LoudnessMeter.Unmeasurable(job.Source.Name)); // made again here, it would be just as silent
        else if (LoudnessMeter.Miss(target, loudness) is string miss) return $"The service's MP3 misses the loudness asked: {miss}";
        return null;
    }

    /// <summary>
    /// The tag finished through the one writer: what the MP3 lacks of what the source carries (the service's MP3 has
    /// none; ffmpeg carries most but not a cover from an attachment, nor chapters through the tee muxer), and the
    /// request's own tags, chapters and cover over that — without re-encoding the audio.
    /// </summary>
    internal override void Finish(JobContext job, CancellationToken ct)
    {
        if (Mp3Tagging.ChangesFor(this, job.ReadSourceFacts(), job.Facts!, job.Warnings) is Id3Changes changes)
            job.Facts = Mp3Tagging.Apply(job.Output, changes, job.Warnings, ct);
    }

    internal override JobResult NewResult(JobContext job)
    {
        var measured = job.KindState<Mp3State>().Measured;
        return new Mp3Result { IsVbr = job.Facts!.IsVbr, StreamCopied = job.StreamCopied, Loudness = measured?.Integrated, TruePeak = measured?.TruePeak };
    }
}
