using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NemoVideo.Local;

/// <summary>One piece of a source cut at keyframes: where it starts in the source's video and how long it is, both as ffprobe measures the part.</summary>
public sealed record VideoPart(int Index, string Path, TimeSpan Start, TimeSpan Duration, long Bytes);

/// <summary>
/// A source too big for one upload, cut at keyframes into parts under the limit without re-encoding, and the parts' video
/// (as the cloud re-encoded it) joined again without re-encoding under audio made once for the whole file, so that no
/// join can be heard (no AAC priming or padding at every cut) or seen (video timestamps continuous, no drift).
/// </summary>
public static class VideoParts
{
    /// <summary>The share of the limit a part is planned to fill: keyframes fall where they fall.</summary>
    internal const double PlannedShare = 0.9;

    /// <summary>What MP4 adds to a part beyond its packets: the index (per sample) and the fixed boxes, generously.</summary>
    internal const long PerPacketOverhead = 16, PerPartOverhead = 16 * 1024;

    private const int MaxAttempts = 4;
    private static readonly Regex PartName = new(@"^part\d{3,}\.mp4$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>How many parts a source of <paramref name="bytes"/> needs to keep each under <paramref name="maxPartBytes"/> (each planned at 90 % of it).</summary>
    public static int PartsFor(long bytes, long maxPartBytes)
    {
        if (maxPartBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxPartBytes), "The part limit must be positive.");
        if (bytes <= 0) return 1;
        return (int)Math.Max(1, Math.Ceiling(bytes / (maxPartBytes * PlannedShare)));
    }

    /// <summary>
    /// Splits <paramref name="source"/> at keyframes into parts each under <paramref name="maxPartBytes"/>, without re-encoding
    /// (the video and every audio track copied; MP4 with faststart), in <paramref name="folder"/> as part001.mp4…. The cut
    /// points come from the source's packets (their sizes and keyframes), so the same source and limit always give the same
    /// parts. A part that still comes out over the limit makes a new plan with more parts; a single keyframe interval over
    /// the limit is a <see cref="LocalEngineException"/>.
    /// </summary>
    public static async Task<IReadOnlyList<VideoPart>> SplitAsync(FfmpegTools tools, string source, long maxPartBytes, string folder,
        IProgress<double>? progress, CancellationToken ct)
    {
        if (maxPartBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxPartBytes), "The part limit must be positive.");
        var info = await MediaProbe.ProbeAsync(tools, source, ct).ConfigureAwait(false);
        var name = Path.GetFileName(info.Path);
        var video = info.Video ?? throw new LocalEngineException(LocalErrorKind.ConversionFailed,
            $"'{name}' has no video to split", "Only a video is sent to the cloud in parts.");
        var streams = new[] { video.Index }.Concat(info.AudioStreams.Select(a => a.Index)).ToList();
        var report = new Reporter(progress);

        var map = await ScanAsync(tools, info, streams, p => report.At(0.3 * p), ct).ConfigureAwait(false);
        Directory.CreateDirectory(folder);
        RemoveParts(folder);
        var budget = (double)maxPartBytes;
        var minParts = 1;
        IReadOnlyList<int>? tried = null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var (plan, cuts) = Plan(map, maxPartBytes, (long)budget, minParts, name);
                if (tried != null && cuts.SequenceEqual(tried))
                    throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"'{name}' could not be split into parts under {Megabytes(maxPartBytes)}",
                        "Its keyframes leave no other cut points; re-encode it with keyframes more often (or compress it on this machine).");
                tried = cuts;
                await CutAsync(tools, info, streams, plan, cuts, folder, p => report.At(0.3 + 0.7 * p), ct).ConfigureAwait(false);
                var parts = await MeasurePartsAsync(tools, folder, new[] { 0.0 }.Concat(cuts.Select(k => plan.Times[k] - plan.Times[0])).ToList(), name, ct).ConfigureAwait(false);
                var largest = parts.Max(p => p.Bytes);
                if (largest <= maxPartBytes)
                {
                    report.At(1);
                    return parts;
                }
                if (attempt == MaxAttempts)
                    throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                        $"'{name}' could not be split into parts under {Megabytes(maxPartBytes)} (after {attempt} tries the largest was {Megabytes(largest)})",
                        "Re-encode it with keyframes more often, or compress it on this machine.");
                // The plan's estimate of the container was short: plan again with the budget shrunk by the miss, and more parts.
                budget *= maxPartBytes / (double)largest * 0.98;
                minParts = parts.Count + 1;
                RemoveParts(folder);
            }
        }
        catch
        {
            RemoveParts(folder);
            throw;
        }
    }

    /// <summary>
    /// Joins <paramref name="partVideos"/>' video (in order; their audio ignored) with the audio of <paramref name="audioSource"/>
    /// — each track copied when <paramref name="audioKbps"/> is null and it is AAC, else encoded once to AAC at
    /// <paramref name="audioKbps"/> (160 by default) — into one MP4 (faststart; H.265 tagged hvc1) at <paramref name="output"/>,
    /// without re-encoding the video. Each part is placed where the one before ends, by its own video's start and length, so
    /// no offset of a part (edit list, B-frame delay, an audio track longer than the video) adds up across the joins.
    /// </summary>
    public static async Task JoinAsync(FfmpegTools tools, IReadOnlyList<string> partVideos, string audioSource, int? audioKbps, string output,
        IProgress<double>? progress, CancellationToken ct)
    {
        if (partVideos is null || partVideos.Count == 0) throw new ArgumentException("There are no parts to join.", nameof(partVideos));
        if (audioKbps is int k && k <= 0) throw new ArgumentOutOfRangeException(nameof(audioKbps), "The audio bitrate must be positive.");
        var report = new Reporter(progress);
        var source = await MediaProbe.ProbeAsync(tools, audioSource, ct).ConfigureAwait(false);
        var parts = new List<PartVideo>();
        foreach (var part in partVideos)
        {
            if (!File.Exists(part)) throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"The part '{part}' is missing", "Make the parts again.");
            parts.Add(await ProbePartAsync(tools, Path.GetFullPath(part), ct).ConfigureAwait(false));
        }
        var first = parts[0];
        var odd = parts.FirstOrDefault(p => p.Codec != first.Codec || p.Width != first.Width || p.Height != first.Height);
        if (odd != null)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                $"The parts cannot be joined without re-encoding: '{Path.GetFileName(odd.Path)}' is {odd.Codec} {odd.Width}x{odd.Height}, '{Path.GetFileName(first.Path)}' {first.Codec} {first.Width}x{first.Height}",
                "Every part must come back in the same codec and size.");
        report.At(0.05);

        var videoStart = await VideoStartAsync(tools, source, ct).ConfigureAwait(false);
        var keyframes = source.Video is MediaStream sv
            ? (await ScanAsync(tools, source, new[] { sv.Index }, p => report.At(0.05 + 0.1 * p), ct).ConfigureAwait(false)).Times.Select(t => t - videoStart).ToList()
            : new List<double>();
        parts = Place(parts, keyframes);
        var total = parts[parts.Count - 1].Start + parts[parts.Count - 1].Duration;
        var list = Path.Combine(Path.GetTempPath(), "nemo-join-" + Guid.NewGuid().ToString("N") + ".ffconcat");
        try
        {
            File.WriteAllText(list, ConcatList(parts), new UTF8Encoding(false));
            var args = new List<string>(FfmpegTools.CommonArgs)
            {
                // copyts: the parts' timestamps are placed by the list alone, and the source's audio keeps its own (shifted by
                // where its video starts, so the audio stays where it was against the picture); without it ffmpeg would move
                // each input by its earliest stream, AAC priming included.
                "-copyts", "-f", "concat", "-safe", "0", "-i", list,
            };
            if (videoStart != 0) args.AddRange(new[] { "-itsoffset", Seconds(-videoStart) });
            args.AddRange(new[] { "-i", source.Path, "-map", "0:v:0", "-c:v", "copy" });
            if (first.Codec == "hevc") args.AddRange(new[] { "-tag:v", "hvc1" }); // hev1 (ffmpeg's default) is what Apple and Windows players refuse
            var audio = source.AudioStreams;
            for (var i = 0; i < audio.Count; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                args.AddRange(new[] { "-map", "1:" + audio[i].Index.ToString(CultureInfo.InvariantCulture) });
                if (audioKbps is null && audio[i].Codec == "aac") args.AddRange(new[] { "-c:a:" + n, "copy" });
                else args.AddRange(new[] { "-c:a:" + n, "aac", "-b:a:" + n, (audioKbps ?? 160).ToString(CultureInfo.InvariantCulture) + "k" });
            }
            args.AddRange(new[] { "-map_metadata", "1", "-map_chapters", "1", "-movflags", "+faststart", "-f", "mp4", output });
            var run = await FfmpegTools.RunAsync(tools.Ffmpeg, args, line =>
            {
                if (FfmpegProgress.TryRead(line, total, out var share)) report.At(0.15 + 0.8 * share);
            }, ct).ConfigureAwait(false);
            if (run.ExitCode != 0) throw LocalEngineException.Failed($"join the parts of '{Path.GetFileName(source.Path)}'", run);

            var made = await ProbePartAsync(tools, Path.GetFullPath(output), ct).ConfigureAwait(false);
            var frame = first.FrameDuration ?? TimeSpan.FromMilliseconds(40);
            if ((made.Duration - total).Duration() > frame + frame)
                throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                    $"The joined video of '{Path.GetFileName(source.Path)}' is {made.Duration.TotalSeconds:0.###} s long, its parts {total.TotalSeconds:0.###} s together",
                    "The parts' timestamps could not be joined; make the parts again.");
            report.At(1);
        }
        catch
        {
            TryDelete(output);
            throw;
        }
        finally
        {
            TryDelete(list);
        }
    }

    /// <summary>The concat demuxer's list: each part at the end of the one before (duration = its video's length), its video's first frame at that point (inpoint = its start).</summary>
    internal static string ConcatList(IReadOnlyList<PartVideo> parts)
    {
        var text = new StringBuilder("ffconcat version 1.0\n");
        foreach (var part in parts)
        {
            text.Append("file '").Append(part.Path.Replace("'", @"'\''")).Append("'\n");
            text.Append("inpoint ").Append(Seconds(part.First)).Append('\n');
            text.Append("duration ").Append(Seconds(part.Duration)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>The source's packets in file order: where the keyframes are and how many bytes come before each.</summary>
    internal sealed class KeyframeMap
    {
        public KeyframeMap(IReadOnlyList<double> times, IReadOnlyList<long> bytesBefore, IReadOnlyList<long> packetsBefore, long totalBytes, long totalPackets,
            IReadOnlyList<bool>? open = null, IReadOnlyList<double>? previous = null)
        {
            Times = times; BytesBefore = bytesBefore; PacketsBefore = packetsBefore; TotalBytes = totalBytes; TotalPackets = totalPackets;
            Open = open ?? times.Select(_ => false).ToList();
            Previous = previous ?? times.Select((t, i) => i == 0 ? t : times[i - 1]).ToList();
        }

        /// <summary>Each keyframe's time in the source (seconds, as ffprobe and ffmpeg's -copyts see it).</summary>
        public IReadOnlyList<double> Times { get; }
        public IReadOnlyList<long> BytesBefore { get; }
        public IReadOnlyList<long> PacketsBefore { get; }
        public long TotalBytes { get; }
        public long TotalPackets { get; }
        /// <summary>An open-GOP keyframe: frames after it in the file show before it and need the GOP before (a part begun there loses them).</summary>
        public IReadOnlyList<bool> Open { get; }
        /// <summary>The time of the keyframe before each, of any kind (where the segment muxer would otherwise cut).</summary>
        public IReadOnlyList<double> Previous { get; }
        public int Count => Times.Count;

        /// <summary>The keyframes a part can begin at without losing a frame (the first always), or null when there are no others.</summary>
        public KeyframeMap? Closed()
        {
            var keep = Enumerable.Range(0, Count).Where(k => k == 0 || !Open[k]).ToList();
            if (keep.Count == Count || keep.Count < 2) return keep.Count == Count ? this : null;
            return new KeyframeMap(keep.Select(k => Times[k]).ToList(), keep.Select(k => BytesBefore[k]).ToList(), keep.Select(k => PacketsBefore[k]).ToList(),
                TotalBytes, TotalPackets, keep.Select(_ => false).ToList(), keep.Select(k => Previous[k]).ToList());
        }

        /// <summary>The bytes of the part from keyframe <paramref name="from"/> to <paramref name="to"/> (Count = the end; 0 = the file's start).</summary>
        public long Estimate(int from, int to)
        {
            long Bytes(int k) => k == 0 ? 0 : k >= Count ? TotalBytes : BytesBefore[k];
            long Packets(int k) => k == 0 ? 0 : k >= Count ? TotalPackets : PacketsBefore[k];
            return Bytes(to) - Bytes(from) + (Packets(to) - Packets(from)) * PerPacketOverhead + PerPartOverhead;
        }
    }

    /// <summary>Reads the source's packets (no decoding): one ffprobe pass over the file, reporting how far it has read.</summary>
    private static async Task<KeyframeMap> ScanAsync(FfmpegTools tools, MediaInfo info, IReadOnlyCollection<int> streams, Action<double> progress, CancellationToken ct)
    {
        var duration = info.Duration;
        var run = await FfmpegTools.RunAsync(tools.Ffprobe, new[]
        {
            "-v", "error", "-show_entries", "packet=stream_index,pts_time,dts_time,size,flags", "-of", "compact", info.Path,
        }, line =>
        {
            if (duration is TimeSpan d && d > TimeSpan.Zero && Field(line, "pts_time") is string t && double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var s))
                progress(Math.Max(0, Math.Min(1, s / d.TotalSeconds)));
        }, ct).ConfigureAwait(false);
        if (run.ExitCode != 0) throw LocalEngineException.Failed($"read the keyframes of '{Path.GetFileName(info.Path)}'", run);
        return ReadPackets(run.Stdout, info.Video!.Index, streams);
    }

    /// <summary>ffprobe's compact packet lines (packet|stream_index=0|pts_time=…|dts_time=…|size=…|flags=K_) as a keyframe map of the video stream.</summary>
    internal static KeyframeMap ReadPackets(string compact, int videoIndex, IReadOnlyCollection<int> streams)
    {
        var times = new List<double>();
        var bytesBefore = new List<long>();
        var packetsBefore = new List<long>();
        var open = new List<bool>();
        long bytes = 0, packets = 0;
        foreach (var raw in compact.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("packet|", StringComparison.Ordinal)) continue;
            if (!int.TryParse(Field(line, "stream_index"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || !streams.Contains(index)) continue;
            long.TryParse(Field(line, "size"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size);
            var pts = index == videoIndex ? Time(Field(line, "pts_time")) ?? Time(Field(line, "dts_time")) : null;
            if (pts is double time && (Field(line, "flags") ?? "").IndexOf('K') >= 0 && (times.Count == 0 || time > times[times.Count - 1]))
            {
                times.Add(time);
                bytesBefore.Add(bytes);
                packetsBefore.Add(packets);
                open.Add(false);
            }
            else if (pts is double later && times.Count > 0 && later < times[times.Count - 1])
                open[open.Count - 1] = true; // a leading picture: shown before its keyframe, decoded after it
            bytes += size;
            packets++;
        }
        return new KeyframeMap(times, bytesBefore, packetsBefore, bytes, packets, open);
    }

    /// <summary>
    /// The keyframes (indices into the map, ascending, none the first) where parts 2… begin: at least <paramref name="minParts"/>
    /// parts, each estimated under <paramref name="budget"/>, cut where the bytes fall evenly; when the even shares do not fit,
    /// the parts are filled one keyframe interval at a time instead. Only the map and the numbers decide: the same source and
    /// limit give the same cuts.
    /// </summary>
    internal static (KeyframeMap Map, IReadOnlyList<int> Cuts) Plan(KeyframeMap map, long maxPartBytes, long budget, int minParts, string name)
    {
        // Parts begin at closed-GOP keyframes where there are enough of them; open ones (x265's default) lose a frame or two at each cut.
        if (map.Closed() is KeyframeMap closed && closed != map)
        {
            try { return (closed, ChooseCuts(closed, maxPartBytes, budget, minParts, name)); }
            catch (LocalEngineException) { }
        }
        return (map, ChooseCuts(map, maxPartBytes, budget, minParts, name));
    }

    internal static IReadOnlyList<int> ChooseCuts(KeyframeMap map, long maxPartBytes, long budget, int minParts, string name)
    {
        if (map.Count == 0)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"'{name}' has no keyframes ffprobe can find", "It cannot be cut without re-encoding.");
        for (var k = 0; k < map.Count; k++)
        {
            var gop = map.Estimate(k, k + 1);
            if (gop > maxPartBytes)
            {
                var end = k + 1 < map.Count ? map.Times[k + 1] : (double?)null;
                throw new LocalEngineException(LocalErrorKind.ConversionFailed,
                    $"'{name}' cannot be split into parts under {Megabytes(maxPartBytes)}: the video from its keyframe at {map.Times[k] - map.Times[0]:0.##} s " +
                    $"to the {(end is double e ? $"next at {e - map.Times[0]:0.##} s" : "end")} is {Megabytes(gop)} by itself, and parts can only begin at keyframes",
                    "Re-encode it with keyframes more often (every few seconds), or compress it on this machine.");
            }
        }
        var first = Math.Max(minParts, PartsFor(map.TotalBytes, maxPartBytes));
        for (var parts = first; parts <= Math.Min(map.Count, first + 16); parts++)
        {
            var cuts = EvenCuts(map, parts);
            if (cuts != null && Fits(map, cuts, budget)) return cuts;
        }
        // Filled greedily: always fits when each interval does (a budget shrunk below an interval still gives it a part of its own).
        var greedy = new List<int>();
        var start = 0;
        for (var k = 1; k < map.Count; k++)
            if (map.Estimate(start, k + 1) > budget) { greedy.Add(k); start = k; }
        return greedy;
    }

    private static List<int>? EvenCuts(KeyframeMap map, int parts)
    {
        var cuts = new List<int>();
        var previous = 0;
        for (var i = 1; i < parts; i++)
        {
            var target = map.TotalBytes * (double)i / parts;
            var last = map.Count - (parts - i); // room for the parts still to come
            if (previous + 1 > last) return null;
            var best = previous + 1;
            for (var k = previous + 1; k <= last; k++)
            {
                if (Math.Abs(map.BytesBefore[k] - target) < Math.Abs(map.BytesBefore[best] - target)) best = k;
                if (map.BytesBefore[k] > target) break;
            }
            cuts.Add(best);
            previous = best;
        }
        return cuts;
    }

    private static bool Fits(KeyframeMap map, IReadOnlyList<int> cuts, long budget)
    {
        var bounds = new[] { 0 }.Concat(cuts).Concat(new[] { map.Count }).ToList();
        for (var i = 0; i + 1 < bounds.Count; i++)
            if (map.Estimate(bounds[i], bounds[i + 1]) > budget) return false;
        return true;
    }

    /// <summary>One copy of the source through the segment muxer, cut at the chosen keyframes.</summary>
    private static async Task CutAsync(FfmpegTools tools, MediaInfo info, IReadOnlyList<int> streams, KeyframeMap map, IReadOnlyList<int> cuts, string folder,
        Action<double> progress, CancellationToken ct)
    {
        // The muxer cuts at the first keyframe at or after each time: halfway from the keyframe before, a time no rounding can move past either.
        var times = string.Join(",", cuts.Select(k => (map.Previous[k] + map.Times[k]) / 2).Select(t => t.ToString("0.000000", CultureInfo.InvariantCulture)));
        var args = new List<string>(FfmpegTools.CommonArgs) { "-copyts", "-i", info.Path };
        foreach (var s in streams) args.AddRange(new[] { "-map", "0:" + s.ToString(CultureInfo.InvariantCulture) });
        args.AddRange(new[] { "-c", "copy", "-map_chapters", "-1", "-avoid_negative_ts", "disabled", "-f", "segment" });
        if (cuts.Count > 0) args.AddRange(new[] { "-segment_times", times });
        else args.AddRange(new[] { "-segment_time", "1000000000" });
        args.AddRange(new[]
        {
            "-reset_timestamps", "1", "-segment_format", "mp4", "-segment_format_options", "movflags=+faststart",
            // The name is a pattern: a % of the folder's own is doubled.
            "-segment_start_number", "1", Path.Combine(Path.GetFullPath(folder).Replace("%", "%%"), "part%03d.mp4"),
        });
        var duration = info.Duration;
        var run = await FfmpegTools.RunAsync(tools.Ffmpeg, args, line =>
        {
            if (FfmpegProgress.TryRead(line, duration, out var share)) progress(share);
        }, ct).ConfigureAwait(false);
        if (run.ExitCode != 0) throw LocalEngineException.Failed($"split '{Path.GetFileName(info.Path)}' into parts", run);
    }

    /// <summary>The parts as written: each one's video measured by ffprobe, its first packet a keyframe, placed after the ones before.</summary>
    private static async Task<IReadOnlyList<VideoPart>> MeasurePartsAsync(FfmpegTools tools, string folder, IReadOnlyList<double> starts, string name, CancellationToken ct)
    {
        var expected = starts.Count;
        var files = Directory.GetFiles(folder).Where(f => PartName.IsMatch(Path.GetFileName(f))).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count != expected)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"Splitting '{name}' made {files.Count} parts, not the {expected} planned",
                "Check that the file plays to its end.");
        var parts = new List<VideoPart>();
        for (var i = 0; i < files.Count; i++)
        {
            var video = await ProbePartAsync(tools, files[i], ct).ConfigureAwait(false);
            if (i > 0 && !video.StartsWithKeyframe)
                throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"Part {i + 1} of '{name}' does not begin with a keyframe",
                    "The parts would not decode on their own; this is a fault in the split.");
            // Where the part begins in the source is its keyframe's time there; how long it is, the part's own video.
            parts.Add(new VideoPart(i + 1, files[i], Ticks(starts[i]), video.Duration, new FileInfo(files[i]).Length));
        }
        return parts;
    }

    /// <summary>A part's video as ffprobe reads it: First is where it begins in its own file, Start where it goes in the joined video (see Place).</summary>
    internal sealed record PartVideo(string Path, string Codec, int Width, int Height, TimeSpan First, TimeSpan Duration, TimeSpan? FrameDuration, bool StartsWithKeyframe)
    {
        public TimeSpan Start { get; init; }
    }

    /// <summary>
    /// Each part placed where the one before ends — moved on to the source's next keyframe when that is at most two and a half
    /// frames later: a part whose last frames were lost (a cut at an open-GOP keyframe, a frame the cloud dropped) then holds its
    /// last frame a little longer instead of pulling everything after it ahead of the audio. Each part's duration runs to the
    /// next one's start.
    /// </summary>
    internal static List<PartVideo> Place(IReadOnlyList<PartVideo> parts, IReadOnlyList<double> keyframes)
    {
        var placed = new List<PartVideo>();
        var start = TimeSpan.Zero;
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                var previous = placed[i - 1];
                var end = previous.Start + parts[i - 1].Duration;
                var frame = (parts[i - 1].FrameDuration ?? TimeSpan.FromMilliseconds(40)).TotalSeconds;
                var next = keyframes.Where(k => k >= end.TotalSeconds - 0.0005 && k <= end.TotalSeconds + 2.5 * frame).Cast<double?>().FirstOrDefault();
                start = next is double k ? Ticks(k) : end;
                placed[i - 1] = previous with { Duration = start - previous.Start };
            }
            placed.Add(parts[i] with { Start = start });
        }
        return placed;
    }

    private static async Task<PartVideo> ProbePartAsync(FfmpegTools tools, string path, CancellationToken ct)
    {
        var run = await FfmpegTools.RunAsync(tools.Ffprobe, new[]
        {
            "-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1",
            "-show_entries", "stream=codec_name,width,height,start_time,duration,avg_frame_rate:format=duration:packet=flags", "-of", "json", path,
        }, null, ct).ConfigureAwait(false);
        if (run.ExitCode != 0) throw LocalEngineException.Failed($"read '{Path.GetFileName(path)}'", run);
        using var doc = JsonDocument.Parse(run.Stdout);
        var root = doc.RootElement;
        if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"'{Path.GetFileName(path)}' has no video", "Every part must carry its video.");
        var s = streams[0];
        var start = Time(Text(s, "start_time")) ?? 0;
        var duration = Time(Text(s, "duration"))
            ?? (root.TryGetProperty("format", out var f) ? Time(Text(f, "duration")) - start : null)
            ?? throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"The length of '{Path.GetFileName(path)}' cannot be read", "Every part must be a whole MP4.");
        TimeSpan? frame = null;
        var rate = (Text(s, "avg_frame_rate") ?? "").Split('/');
        if (rate.Length == 2 && double.TryParse(rate[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var num)
            && double.TryParse(rate[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var den) && num > 0 && den > 0)
            frame = TimeSpan.FromTicks((long)(TimeSpan.TicksPerSecond * den / num));
        var key = root.TryGetProperty("packets", out var packets) && packets.GetArrayLength() > 0 && (Text(packets[0], "flags") ?? "").IndexOf('K') >= 0;
        return new PartVideo(path, Text(s, "codec_name") ?? "", s.TryGetProperty("width", out var w) ? w.GetInt32() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt32() : 0, Ticks(start), Ticks(duration), frame, key);
    }

    /// <summary>Where the source's video begins (its first frame is where the first part, so the joined video, begins).</summary>
    private static async Task<double> VideoStartAsync(FfmpegTools tools, MediaInfo source, CancellationToken ct)
    {
        if (source.Video is not MediaStream video) return 0;
        var run = await FfmpegTools.RunAsync(tools.Ffprobe, new[]
        {
            "-v", "error", "-select_streams", video.Index.ToString(CultureInfo.InvariantCulture), "-show_entries", "stream=start_time", "-of", "json", source.Path,
        }, null, ct).ConfigureAwait(false);
        if (run.ExitCode != 0) throw LocalEngineException.Failed($"read '{Path.GetFileName(source.Path)}'", run);
        using var doc = JsonDocument.Parse(run.Stdout);
        return doc.RootElement.TryGetProperty("streams", out var s) && s.GetArrayLength() > 0 ? Time(Text(s[0], "start_time")) ?? 0 : 0;
    }

    private static void RemoveParts(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.GetFiles(folder))
            if (PartName.IsMatch(Path.GetFileName(file))) TryDelete(file);
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string? Field(string line, string key)
    {
        var at = line.IndexOf("|" + key + "=", StringComparison.Ordinal);
        if (at < 0) return null;
        var from = at + key.Length + 2;
        var end = line.IndexOf('|', from);
        return end < 0 ? line.Substring(from) : line.Substring(from, end - from);
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null : null;

    private static double? Time(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v) && !double.IsInfinity(v) ? v : null;

    private static TimeSpan Ticks(double seconds) => TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    private static string Seconds(TimeSpan t) => Seconds(t.TotalSeconds);
    private static string Seconds(double seconds) => seconds.ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => (bytes / 1_000_000.0).ToString("0.#", CultureInfo.InvariantCulture) + " MB";

    /// <summary>Progress that only moves forward (a second plan starts over without going back).</summary>
    private sealed class Reporter
    {
        private readonly IProgress<double>? _progress;
        private double _last = -1;
        public Reporter(IProgress<double>? progress) => _progress = progress;
        public void At(double share)
        {
            share = Math.Max(0, Math.Min(1, share));
            lock (this)
            {
                if (share <= _last) return;
                _last = share;
            }
            _progress?.Report(share);
        }
    }
}
