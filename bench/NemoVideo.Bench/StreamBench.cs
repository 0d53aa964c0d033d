using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text;
using NemoVideo.Agent;
using NemoVideo.Api;

namespace NemoVideo.Bench;

/// <summary>How fast the agent's event stream is parsed, against reading the same bytes without parsing.</summary>
internal static class StreamBench
{
    public static async Task RunAsync(Results results, int events, int runs)
    {
        var stream = Recorded(events);
        var (parse, raw) = await Harness.PairedAsync(runs, () => ParseAsync(stream), () => RawAsync(stream));
        var mb = stream.Length / 1048576.0;
        results.Add(new Row("Agent stream", $"{events:N0} recorded events, both shapes (events/s)", Harness.F(events / Harness.Median(parse), "N0"),
            Harness.F(mb / Harness.Median(raw), "0") + " MB/s raw read", Harness.Median(raw) / Harness.Median(parse), "parse rate vs raw byte rate (informative)", null,
            $"parsing {Harness.F(mb / Harness.Median(parse), "0")} MB/s; parse seconds [{Harness.Raw(parse, "0.0000")}]; raw seconds [{Harness.Raw(raw, "0.0000")}]"));
    }

    private static async Task<double> ParseAsync(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        var parser = new AgentEventParser();
        var count = 0;
        await foreach (var item in SseParser.Create(new MemoryStream(bytes, writable: false)).EnumerateAsync())
            foreach (var _ in parser.Parse(item.Data)) count++;
        if (count == 0) throw new InvalidOperationException("nothing parsed");
        return watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawAsync(byte[] bytes)
    {
        var watch = Stopwatch.StartNew();
        var buffer = new byte[81920];
        using var s = new MemoryStream(bytes, writable: false);
        while (await s.ReadAsync(buffer) > 0) { }
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>A stream as the agent sends it: heartbeats, tool calls and results, text in pieces, in both shapes.</summary>
    private static byte[] Recorded(int events)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < events; i++)
        {
            sb.Append((i % 10) switch
            {
                0 => "data: {\"type\":\"heartbeat\"}",
                1 => "data: {\"type\":\"tool_call\",\"name\":\"set_audio_export\",\"args\":{\"format\":\"mp3\",\"bitrate_kbps\":320,\"audio_track\":1}}",
                2 => "data: {\"type\":\"tool_result\",\"name\":\"set_audio_export\",\"result\":{\"status\":\"ok\",\"draft_updated\":true}}",
                3 or 4 or 5 => "data: {\"type\":\"text\",\"content\":\"Done! I've placed the audio of interview.mkv on the \"}",
                6 => "data: {\"id\":\"a1b2c3\",\"invocationId\":\"e-1\",\"author\":\"nemo_agent\",\"partial\":true,\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"Click the Export button \"}]}}",
                7 => "data: {\"id\":\"a1b2c4\",\"invocationId\":\"e-1\",\"author\":\"nemo_agent\",\"content\":{\"role\":\"model\",\"parts\":[{\"functionCall\":{\"id\":\"c1\",\"name\":\"set_video_export\",\"args\":{\"height\":720}}}]}}",
                8 => "data:",
                _ => ": keep-alive",
            }).Append("\n\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }
}
