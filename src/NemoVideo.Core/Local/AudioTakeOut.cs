using System.Globalization;

namespace NemoVideo.Local;

/// <summary>
/// One audio track of a video, taken out with ffmpeg into a file of one of the service's audio types, so that an MP3
/// job sends only the audio it needs. Codecs one of those types holds are copied, never re-encoded: AAC and ALAC into
/// M4A, MP3 as MP3. The others (Opus, Vorbis, FLAC, AC-3, PCM…) are decoded once: to WAV, lossless, where that fits
/// under the service's limit (16-bit, or 24-bit for a lossless source of more than 16), else to AAC at a transparent
/// bitrate (256 kbps for stereo, 64 kbps a channel beyond that, at most 512).
/// </summary>
internal sealed class AudioTakeOut
{
    /// <summary>How far under the limit a WAV must stay (its header, a length off by a little).</summary>
    private const double Headroom = 0.98;

    private static readonly HashSet<string> Lossless = new(StringComparer.OrdinalIgnoreCase)
        { "flac", "alac", "wavpack", "tta", "truehd", "mlp", "ape", "shorten" };

    private AudioTakeOut(string extension, string format, IReadOnlyList<string> codecArgs, bool copied, string description)
    {
        Extension = extension;
        Format = format;
        CodecArgs = codecArgs;
        Copied = copied;
        Description = description;
    }

    /// <summary>.m4a, .mp3, .wav.</summary>
    public string Extension { get; }
    /// <summary>ffmpeg's muxer.</summary>
    public string Format { get; }
    public IReadOnlyList<string> CodecArgs { get; }
    /// <summary>The track's own frames, byte for byte.</summary>
    public bool Copied { get; }
    /// <summary>"aac copied", "opus decoded to 16-bit WAV (lossless)", for -Verbose.</summary>
    public string Description { get; }

    /// <summary>How <paramref name="audio"/>, <paramref name="duration"/> long, goes up to a service that takes at most <paramref name="maxBytes"/> a file.</summary>
    public static AudioTakeOut For(MediaStream audio, TimeSpan? duration, long maxBytes)
    {
        var codec = audio.Codec.ToLowerInvariant();
        switch (codec)
        {
            case "aac":
            case "alac":
                return new AudioTakeOut(".m4a", "mp4", new[] { "-c:a", "copy" }, true, codec + " copied");
            case "mp3":
                return new AudioTakeOut(".mp3", "mp3", new[] { "-c:a", "copy", "-write_xing", "0" }, true, "mp3 copied");
        }
        var deep = (Lossless.Contains(codec) || codec.StartsWith("pcm_", StringComparison.Ordinal))
                   && audio.SampleFormat is string fmt && !fmt.StartsWith("s16", StringComparison.Ordinal) && !fmt.StartsWith("u8", StringComparison.Ordinal);
        var channels = Math.Max(1, audio.Channels ?? 2);
        var wavBytes = duration is TimeSpan d ? d.TotalSeconds * (audio.SampleRate ?? 48000) * channels * (deep ? 3 : 2) : double.MaxValue;
        if (wavBytes < maxBytes * Headroom)
            return new AudioTakeOut(".wav", "wav", new[] { "-c:a", deep ? "pcm_s24le" : "pcm_s16le" }, false,
                $"{codec} decoded to {(deep ? 24 : 16)}-bit WAV (lossless)");
        var kbps = Math.Min(512, Math.Max(256, 64 * channels));
        return new AudioTakeOut(".m4a", "mp4", new[] { "-c:a", "aac", "-b:a", kbps.ToString(CultureInfo.InvariantCulture) + "k" }, false,
            $"{codec} encoded to AAC at {kbps} kbps (as WAV it would pass the service's limit)");
    }

    /// <summary>Writes the track to <paramref name="output"/> (its name ends in <see cref="Extension"/>), reporting the share done.</summary>
    public async Task RunAsync(FfmpegTools tools, string source, MediaStream audio, TimeSpan? duration, string output, Action<double>? progress, CancellationToken ct)
    {
        var args = new List<string>(FfmpegTools.CommonArgs)
        {
            "-i", source, "-map", "0:a:" + audio.TypeIndex.ToString(CultureInfo.InvariantCulture), "-vn", "-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1",
        };
        args.AddRange(CodecArgs);
        args.AddRange(new[] { "-f", Format, output });
        var run = await FfmpegTools.RunAsync(tools.Ffmpeg, args,
            line => { if (progress != null && FfmpegProgress.TryRead(line, duration, out var share)) progress(share); }, ct).ConfigureAwait(false);
        if (run.ExitCode != 0)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                $"The audio of '{Path.GetFileName(source)}' could not be taken out for the upload ({Description}): {MediaProbe.LastLines(run.Stderr)?.Trim()}",
                "Check that the file plays; or send it as it is with -SendWholeFile, or convert it on this machine with -Engine Local.");
    }
}
