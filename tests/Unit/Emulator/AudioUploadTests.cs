using System.Text.Json.Nodes;
using NemoVideo.Emulator;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Emulator;

/// <summary>
/// An MP3 job that uploads only the source's audio track (.m4a, .mp3, .aac as ADTS, .wav), in the generous and the
/// documented mode, over loopback HTTP call by call: the upload says the audio's length, the agent puts the audio on
/// the timeline for a message that names no track, and the render asked as the client asks is an MP3 of that length.
/// </summary>
public class AudioUploadTests : IDisposable
{
    private const double Seconds = 5;
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>
    /// 5 seconds of audio alone: a near-silent second, then noise. As a raw ADTS stream (.aac) ffprobe guesses its length
    /// from the first frames' bitrate, which the quiet start makes low: 12.2 s instead of 5.
    /// </summary>
    private static Task<string> AudioAsync(string extension) =>
        Media.MadeAsync($"audio-only-quiet-start-{Seconds}{extension}", path =>
        {
            var args = new List<string> { "-f", "lavfi", "-i", $"aevalsrc='if(lt(t,1),0.001*sin(2*PI*440*t),0.4*random(0))':s=44100:d={Seconds}", "-ac", "2" };
            args.AddRange(extension switch
            {
                ".mp3" => new[] { "-c:a", "libmp3lame", "-b:a", "192k" },
                ".wav" => new[] { "-c:a", "pcm_s16le" },
                ".aac" => new[] { "-c:a", "aac", "-b:a", "128k", "-f", "adts" },
                _ => new[] { "-c:a", "aac", "-b:a", "128k", "-f", "ipod" },
            });
            args.Add(path);
            return args;
        });

    private static Task<EmulatorServer> StartAsync(bool documented) =>
        Emulators.StartAsync(o => { o.Documented = documented; o.AnonymousCredits = 10_000; });

    /// <summary>Upload, agent message, state: answers the upload's file entry and the draft the agent made.</summary>
    private static async Task<(JsonNode File, JsonObject Draft)> UploadAndAskAsync(EmulatorHttp api, string source)
    {
        var file = (await api.UploadAsync(source))[0]!;
        await api.SayAsync("Extract the audio as MP3 at 128 kbps.");
        var draft = (await api.StateAsync())["draft"]!.AsObject();
        return (file, draft);
    }

    [Theory]
    [InlineData(".mp3", false)]
    [InlineData(".wav", false)]
    [InlineData(".m4a", false)]
    [InlineData(".aac", false)]
    [InlineData(".mp3", true)]
    [InlineData(".wav", true)]
    [InlineData(".m4a", true)]
    [InlineData(".aac", true)]
    public async Task An_audio_upload_becomes_an_MP3_of_its_length(string extension, bool documented)
    {
        var source = _env.PathIn("talk" + extension);
        File.Copy(await AudioAsync(extension), source);
        await using var emu = await StartAsync(documented);
        using var api = await EmulatorHttp.OpenAsync(emu);

        var (file, draft) = await UploadAndAskAsync(api, source);
        Assert.Equal("audio", file["file_type"]!.GetValue<string>());
        var duration = file["duration"]!.GetValue<double>();
        Assert.Equal(Seconds, duration, 0.1); // for ADTS counted from the frames, not ffprobe's guess
        Assert.Null(file["width"]);

        var track = Assert.Single(draft["t"]!.AsArray())!;
        Assert.Equal(1, track["tt"]!.GetValue<int>()); // an audio track
        var segment = Assert.Single(track["sg"]!.AsArray())!;
        Assert.Equal(file["cdn_url"]!.GetValue<string>(), segment["src"]!.GetValue<string>());
        Assert.Equal(duration * 1000, segment["d"]!.GetValue<double>(), 1.0);

        // As the client asks (RenderOutput.ForFormat("mp3") with the bitrate): both vocabularies.
        var render = await api.RenderAsync(draft, new JsonObject { ["format"] = "mp3", ["quality"] = "high", ["codec"] = "mp3", ["audioBitrate"] = "128k" });
        Assert.True(render["status"]!.GetValue<string>() == "completed", render.ToJsonString());
        var output = _env.PathIn("talk.out.mp3");
        await File.WriteAllBytesAsync(output, await api.DownloadAsync(render["outputUrl"]!.GetValue<string>()));

        var probe = await Media.ProbeAsync(output);
        var audio = Assert.Single(probe.Streams);
        Assert.Equal("mp3", audio.Codec);
        Assert.InRange(audio.BitRate!.Value, 128_000 * 0.98, 128_000 * 1.02);
        Assert.Equal(Seconds, probe.Duration, 0.2);
        Assert.Equal(duration, probe.Duration, 0.2);
    }

    /// <summary>
    /// Documented mode renders an MP4 unless asked in the renderer's vocabulary; for an audio-only timeline that MP4
    /// holds the audio alone (nothing in the record says the renderer paints a picture), so the client's usual
    /// "an MP4 for an MP3" path takes it from there. The generous mode does the same when asked for an MP4.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_MP4_of_an_audio_only_timeline_holds_the_audio_alone(bool documented)
    {
        var source = _env.PathIn("talk.m4a");
        File.Copy(await AudioAsync(".m4a"), source);
        await using var emu = await StartAsync(documented);
        using var api = await EmulatorHttp.OpenAsync(emu);
        var (_, draft) = await UploadAndAskAsync(api, source);

        var render = await api.RenderAsync(draft, new JsonObject { ["format"] = "mp4", ["quality"] = "high" });
        Assert.True(render["status"]!.GetValue<string>() == "completed", render.ToJsonString());
        Assert.EndsWith(".mp4", render["outputUrl"]!.GetValue<string>());
        var output = _env.PathIn("talk.out.mp4");
        await File.WriteAllBytesAsync(output, await api.DownloadAsync(render["outputUrl"]!.GetValue<string>()));

        var probe = await Media.ProbeAsync(output);
        var audio = Assert.Single(probe.Streams);
        Assert.Equal("aac", audio.Codec);
        Assert.Equal(Seconds, probe.Duration, 0.2);
    }

    /// <summary>An MP3 with its cover picture is still audio: the cover is not a video to render.</summary>
    [Fact]
    public async Task An_MP3_with_a_cover_is_audio_and_its_MP3_render_has_no_picture()
    {
        var cover = await Media.PictureAsync();
        var plain = await AudioAsync(".mp3");
        var source = _env.PathIn("covered.mp3");
        var (code, _, err) = await Media.RunAsync("ffmpeg", new[] { "-hide_banner", "-loglevel", "error", "-i", plain, "-i", cover, "-map", "0:a", "-map", "1:v", "-c", "copy", "-disposition:v", "attached_pic", "-id3v2_version", "3", source });
        Assert.True(code == 0, err);
        await using var emu = await StartAsync(documented: true);
        using var api = await EmulatorHttp.OpenAsync(emu);

        var (file, draft) = await UploadAndAskAsync(api, source);
        Assert.Null(file["width"]);
        var render = await api.RenderAsync(draft, new JsonObject { ["format"] = "mp4", ["quality"] = "high" });
        Assert.True(render["status"]!.GetValue<string>() == "completed", render.ToJsonString());
        var output = _env.PathIn("covered.out.mp4");
        await File.WriteAllBytesAsync(output, await api.DownloadAsync(render["outputUrl"]!.GetValue<string>()));
        Assert.DoesNotContain((await Media.ProbeAsync(output)).Streams, s => s.Type == "video");
    }
}
