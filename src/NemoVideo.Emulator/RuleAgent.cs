using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NemoVideo.Emulator;

/// <summary>What the agent decided to do with a message.</summary>
internal sealed record AgentPlan(bool IsEdit, string Reply, string? ToolName, JsonObject? ToolArgs, Action<Session>? Apply);

/// <summary>
/// A small rule-based stand-in for the NemoVideo agent. It understands the requests the module sends —
/// "extract the audio as MP3 at N kbps (track K)" and "compress the video to N Mbps at 720p" — and puts
/// the uploaded video on the timeline with those settings. Its replies are written for a GUI, as the real one's are.
/// </summary>
internal static partial class RuleAgent
{
    [GeneratedRegex(@"(\d+)\s*kbps", RegexOptions.IgnoreCase)] private static partial Regex Kbps();
    [GeneratedRegex(@"track\s*#?\s*(\d+)", RegexOptions.IgnoreCase)] private static partial Regex Track();
    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*(mbps|mb/s|m\b|kbps|kb/s|k\b)", RegexOptions.IgnoreCase)] private static partial Regex VideoRate();
    [GeneratedRegex(@"(\d{3,4})\s*p\b", RegexOptions.IgnoreCase)] private static partial Regex Resolution();
    [GeneratedRegex(@"VBR quality V(\d)", RegexOptions.IgnoreCase)] private static partial Regex Vbr();
    [GeneratedRegex(@"the (\w{2,3}) audio track", RegexOptions.IgnoreCase)] private static partial Regex Language();
    [GeneratedRegex(@"loudness to (-?\d+(?:\.\d+)?)\s*LUFS", RegexOptions.IgnoreCase)] private static partial Regex Loudness();
    [GeneratedRegex(@"(-?\d+(?:\.\d+)?)\s*dBTP", RegexOptions.IgnoreCase)] private static partial Regex TruePeak();

    public static AgentPlan Interpret(string message, Session session)
    {
        Asset? video;
        lock (session.Gate) video = session.Assets.LastOrDefault(a => a.FileType is "video" or "audio");
        var lower = message.ToLowerInvariant();
        var wantsMp3 = lower.Contains("mp3") || (lower.Contains("audio") && lower.Contains("extract"));
        var wantsCompress = lower.Contains("compress") || lower.Contains("bitrate") || lower.Contains("mbps");

        if ((wantsMp3 || wantsCompress) && video == null)
            return new AgentPlan(false, "Please upload a video first — drag it into the media panel.", null, null, null);

        if (wantsMp3)
        {
            var kbps = Kbps().Match(message) is { Success: true } k ? int.Parse(k.Groups[1].Value, CultureInfo.InvariantCulture) : 192;
            var track = Track().Match(message) is { Success: true } t ? int.Parse(t.Groups[1].Value, CultureInfo.InvariantCulture) : 1;
            if (Language().Match(message) is { Success: true } lm)
            {
                var wanted = lm.Groups[1].Value;
                var found = video!.AudioLanguages.Select((l, i) => (l, i)).FirstOrDefault(x => x.l != null && x.l.StartsWith(wanted, StringComparison.OrdinalIgnoreCase));
                if (found.l == null) return new AgentPlan(false, $"I could not find a {wanted} audio track in this video.", null, null, null);
                track = found.i + 1;
            }
            int? vbr = Vbr().Match(message) is { Success: true } v ? int.Parse(v.Groups[1].Value, CultureInfo.InvariantCulture) : null;
            if (track < 1 || track > Math.Max(1, video!.AudioStreams))
                return new AgentPlan(false, $"This video has {video!.AudioStreams} audio track(s); there is no track {track}.", null, null, null);
            if (video.AudioStreams == 0)
                return new AgentPlan(false, "This video has no audio track to extract.", null, null, null);
            var args = new JsonObject { ["format"] = "mp3", ["bitrate_kbps"] = kbps, ["audio_track"] = track, ["vbr_quality"] = vbr };
            var rate = vbr is int q ? $"VBR quality V{q}" : $"{kbps} kbps";
            var settings = new JsonObject { ["audio_bitrate_kbps"] = kbps, ["audio_track"] = track, ["vbr_quality"] = vbr };
            var level = "";
            if (Loudness().Match(message) is { Success: true } lufs)
            {
                // The service's own loudness tool: one pass of loudnorm, as an editor's "normalize" button does.
                settings["loudness_lufs"] = double.Parse(lufs.Groups[1].Value, CultureInfo.InvariantCulture);
                settings["true_peak_dbtp"] = TruePeak().Match(message) is { Success: true } tp ? double.Parse(tp.Groups[1].Value, CultureInfo.InvariantCulture) : -1.0;
                level = $", normalized to {lufs.Groups[1].Value} LUFS";
            }
            return new AgentPlan(true,
                $"Done! I've placed the audio of {video.FileName} on the timeline as an MP3 at {rate}{level}. Click the Export button to download it.",
                "set_audio_export", args, s => SetDraft(s, video, trackType: 1, settings));
        }

        if (wantsCompress)
        {
            var rate = VideoRate().Matches(message).FirstOrDefault();
            if (rate == null)
                return new AgentPlan(false, "What bitrate would you like? For example: compress to 8 Mbps.", null, null, null);
            var value = double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture);
            var unit = rate.Groups[2].Value.ToLowerInvariant();
            var kbps = (int)Math.Round(unit.StartsWith('m') ? value * 1000 : value);
            var meta = new JsonObject { ["video_bitrate_kbps"] = kbps };
            if (Resolution().Match(message) is { Success: true } r) meta["height"] = int.Parse(r.Groups[1].Value, CultureInfo.InvariantCulture);
            var args = new JsonObject { ["video_bitrate_kbps"] = kbps, ["height"] = meta["height"]?.DeepClone() };
            return new AgentPlan(true,
                $"I've set the export to {value.ToString(CultureInfo.InvariantCulture)} {(unit.StartsWith('m') ? "Mbps" : "kbps")}" +
                (meta["height"] is JsonNode h ? $" at {h}p" : "") + ". Open the export panel and click Export when you are ready.",
                "set_video_export", args, s => SetDraft(s, video!, trackType: 0, meta));
        }

        return new AgentPlan(false, "I can extract audio as MP3 or compress a video to a bitrate. Drag a clip onto the timeline to begin.", null, null, null);
    }

    private static void SetDraft(Session session, Asset asset, int trackType, JsonObject settings)
    {
        var durationMs = (long)Math.Round((asset.Duration ?? 0) * 1000);
        var segment = new JsonObject
        {
            ["id"] = "seg_" + asset.Id, ["n"] = Path.GetFileNameWithoutExtension(asset.FileName), ["st"] = 0, ["d"] = durationMs,
            ["src"] = asset.CdnPath, ["asset"] = asset.Id,
        };
        var meta = new JsonObject { ["title"] = Path.GetFileNameWithoutExtension(asset.FileName), ["width"] = asset.Width, ["height"] = asset.Height };
        foreach (var (k, v) in settings) meta[k] = v?.DeepClone();
        lock (session.Gate)
            session.Draft = new JsonObject
            {
                ["t"] = new JsonArray(new JsonObject { ["tt"] = trackType, ["sg"] = new JsonArray(segment) }),
                ["d"] = durationMs,
                ["m"] = meta,
            };
    }
}
