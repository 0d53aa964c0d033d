using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using NemoVideo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace NemoVideo.Tests.Emulator;

/// <summary>
/// --upload-mbps: the emulator reads upload bodies no faster than the modelled uplink, one pipe for the whole server.
/// Only lower bounds on wall time are asserted (a loaded machine is slower, never faster, than the model).
/// </summary>
public class UplinkTests(ITestOutputHelper output)
{
    /// <summary>A 16-bit stereo WAV: real media the upload accepts, 176.4 kB a second.</summary>
    private static Task<string> WavAsync(int seconds) =>
        Media.MadeAsync($"uplink-{seconds}s.wav", path => new List<string>
        {
            "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=44100:duration={seconds}", "-ac", "2", "-c:a", "pcm_s16le", path,
        });

    private static double Modelled(long bytes, double mbps) => bytes * 8 / (mbps * 1e6);

    private static string Hash(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(f))[..16].ToLowerInvariant();
    }

    [Fact]
    public async Task An_upload_takes_at_least_its_bytes_airtime_at_the_modelled_rate_and_arrives_intact()
    {
        const double mbps = 8;
        var source = await WavAsync(30); // about 5.3 MB: 5.3 s at 8 Mbps
        await using var emu = await Emulators.StartAsync(o => o.UploadMbps = mbps);
        using var api = await EmulatorHttp.OpenAsync(emu);

        var clock = Stopwatch.StartNew();
        var file = (await api.UploadAsync(source))[0]!;
        var elapsed = clock.Elapsed.TotalSeconds;

        var modelled = Modelled(new FileInfo(source).Length, mbps);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{new FileInfo(source).Length} bytes at {mbps} Mbps: {elapsed:0.000} s, modelled {modelled:0.000} s ({elapsed / modelled:0.000}×)"));
        Assert.True(elapsed >= 0.9 * modelled, $"took {elapsed:0.000} s, the modelled uplink needs {modelled:0.000} s");
        Assert.True(emu.Uplink.BytesPaced >= new FileInfo(source).Length);
        Assert.True(emu.Uplink.TimeWaited.TotalSeconds > 0.5 * modelled);
        Assert.Equal(Hash(source), file["hash"]!.GetValue<string>());
        Assert.Equal(await File.ReadAllBytesAsync(source), await api.DownloadAsync(file["cdn_url"]!.GetValue<string>()));
        Assert.Equal(30, file["duration"]!.GetValue<double>(), 0.05);
    }

    [Fact]
    public async Task Concurrent_uploads_share_one_uplink()
    {
        const double mbps = 8;
        var source = await WavAsync(15); // about 2.6 MB each, 5.3 s for the two at 8 Mbps
        await using var emu = await Emulators.StartAsync(o => o.UploadMbps = mbps);
        using var first = await EmulatorHttp.OpenAsync(emu);
        using var second = await EmulatorHttp.OpenAsync(emu);

        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(first.UploadAsync(source), second.UploadAsync(source));
        var elapsed = clock.Elapsed.TotalSeconds;

        var modelled = Modelled(2 * new FileInfo(source).Length, mbps);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"2 × {new FileInfo(source).Length} bytes at {mbps} Mbps: {elapsed:0.000} s, modelled {modelled:0.000} s ({elapsed / modelled:0.000}×)"));
        Assert.True(elapsed >= 0.9 * modelled, $"took {elapsed:0.000} s, the shared uplink needs {modelled:0.000} s");
        Assert.All(answers, a => Assert.Equal(Hash(source), a[0]!["hash"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_a_modelled_rate_uploads_are_not_paced()
    {
        var source = await WavAsync(30);
        await using var emu = await Emulators.StartAsync();
        using var api = await EmulatorHttp.OpenAsync(emu);

        var file = (await api.UploadAsync(source))[0]!;

        Assert.Null(emu.Uplink.Mbps);
        Assert.Equal(0, emu.Uplink.BytesPaced);
        Assert.Equal(TimeSpan.Zero, emu.Uplink.TimeWaited);
        Assert.Equal(Hash(source), file["hash"]!.GetValue<string>());
        Assert.Equal(await File.ReadAllBytesAsync(source), await api.DownloadAsync(file["cdn_url"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_rate_can_change_while_the_server_runs()
    {
        var source = await WavAsync(15);
        await using var emu = await Emulators.StartAsync();
        using var api = await EmulatorHttp.OpenAsync(emu);
        await api.UploadAsync(source);
        Assert.Equal(0, emu.Uplink.BytesPaced);

        emu.Options.UploadMbps = 16;
        var clock = Stopwatch.StartNew();
        await api.UploadAsync(source);
        var modelled = Modelled(new FileInfo(source).Length, 16);
        Assert.True(clock.Elapsed.TotalSeconds >= 0.9 * modelled, $"took {clock.Elapsed.TotalSeconds:0.000} s, the modelled uplink needs {modelled:0.000} s");
        Assert.True(emu.Uplink.BytesPaced >= new FileInfo(source).Length);
    }
}
