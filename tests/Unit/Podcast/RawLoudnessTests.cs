using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Podcast;

/// <summary>
/// Issue 23: raw speech (a peak-to-loudness ratio near 20 dB) and music-like material reach the loudness asked,
/// mid-window, under the true-peak ceiling, as loudgain (libebur128, not the module's ffmpeg meter) reads the MP3; what
/// cannot be met is refused before anything is encoded, with advice that points the right way; the leveler evens speakers.
/// </summary>
public class RawLoudnessTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    /// <summary>How near the target the tests hold a result: the middle of the ±0.5 LU window, not its edge.</summary>
    private const double Aim = 0.3;

    private async Task<Mp3Result> ConvertAsync(string source, LoudnessTarget target, bool level = false) =>
        await new LocalJob(FfmpegTools.Locate()).RunAsync(new Mp3Request(source, _env.PathIn(Guid.NewGuid().ToString("N")[..8] + ".mp3"), 128) { Loudness = target, Level = level });

    [Theory]
    [InlineData(-16, -1)]
    [InlineData(-14, -1)]
    [InlineData(-23, -1)]
    [InlineData(-16, -2)] // the ceiling that made it worse before
    public async Task Raw_speech_reaches_the_target_mid_window_under_the_ceiling_by_loudgain(double lufs, double ceiling)
    {
        var source = await RawAudio.SpeechAsync();
        var before = await RawAudio.LoudgainAsync(source);
        Assert.InRange(before.TruePeak - before.Integrated, 19, 21.5); // raw speech's peak-to-loudness ratio
        var result = await ConvertAsync(source, new LoudnessTarget(lufs, ceiling));
        var after = await RawAudio.LoudgainAsync(result.Output.FullName);
        Assert.InRange(after.Integrated, lufs - Aim, lufs + Aim);
        Assert.True(after.TruePeak <= ceiling + 0.1, $"true peak {after.TruePeak} dBTP over the {ceiling} asked");
    }

    [Theory]
    [InlineData(-16)]
    [InlineData(-14)]
    [InlineData(-23)]
    public async Task Music_like_material_reaches_the_target_and_is_not_compressed_where_a_plain_gain_fits(double lufs)
    {
        var source = await RawAudio.MusicAsync();
        var before = await RawAudio.LoudgainAsync(source);
        var result = await ConvertAsync(source, new LoudnessTarget(lufs));
        var after = await RawAudio.LoudgainAsync(result.Output.FullName);
        Assert.InRange(after.Integrated, lufs - Aim, lufs + Aim);
        Assert.True(after.TruePeak <= -1 + 0.1, $"true peak {after.TruePeak} dBTP over -1");
        if (lufs <= -23) Assert.InRange(after.Range, before.Range - 0.3, before.Range + 0.3); // a plain gain: the dynamics as they were
    }

    [Fact]
    public async Task A_target_that_cannot_be_met_is_refused_before_encoding_with_advice_that_would_be_met()
    {
        var source = await RawAudio.SpeechAsync();
        var target = new LoudnessTarget(-12, -6); // 6 dB between loudness and ceiling: speech limited so far is no longer speech
        var ex = await Assert.ThrowsAsync<LocalEngineException>(() => ConvertAsync(source, target));
        Assert.Equal(LocalErrorKind.ConversionFailed, ex.Kind);
        Assert.Contains("nothing was converted", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_env.WorkDirectory, "*.mp3"));
        // The advice points the right way (a quieter target, or a higher ceiling, never a lower one), and both are met.
        var quieter = System.Text.RegularExpressions.Regex.Match(ex.Advice, @"A target of (-[\d.]+) LUFS or lower");
        var higher = System.Text.RegularExpressions.Regex.Match(ex.Advice, @"a true peak ceiling of (-[\d.]+) dBTP or higher");
        Assert.True(quieter.Success && higher.Success, ex.Advice);
        double Figure(System.Text.RegularExpressions.Match m) => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(Figure(quieter), -16, -13);
        Assert.InRange(Figure(higher), -5, -1);
        foreach (var (lufs, ceiling) in new[] { (Figure(quieter), -6.0), (-12.0, Figure(higher)) })
        {
            var met = await RawAudio.LoudgainAsync((await ConvertAsync(source, new LoudnessTarget(lufs, ceiling))).Output.FullName);
            Assert.InRange(met.Integrated, lufs - 0.5, lufs + 0.5);
            Assert.True(met.TruePeak <= ceiling + 0.1, $"true peak {met.TruePeak} over {ceiling}");
        }
    }

    [Fact]
    public void The_pre_check_knows_from_the_sources_reading_alone_and_lets_through_what_can_be_met()
    {
        var speech = new NemoVideo.Media.LoudnessReading(-21.5, -1.5, 8, -32);
        Assert.Null(LoudnessMeter.CannotReach(new LoudnessTarget(-16), speech, "talk.mkv"));
        Assert.Null(LoudnessMeter.CannotReach(new LoudnessTarget(-14), speech, "talk.mkv"));
        Assert.Null(LoudnessMeter.CannotReach(new LoudnessTarget(-6, 0), new NemoVideo.Media.LoudnessReading(-7, -2, 3, -17), "master.wav")); // a plain gain
        var refused = LoudnessMeter.CannotReach(new LoudnessTarget(-6, -1), speech, "talk.mkv")!;
        Assert.Contains("'talk.mkv'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("-9 LUFS or lower", refused.Advice, StringComparison.Ordinal);
        Assert.Contains("no true peak ceiling", refused.Advice, StringComparison.Ordinal); // -6 LUFS would need a ceiling over 0 dBTP
    }

    [Fact]
    public async Task The_leveler_lowers_the_loudness_range_of_uneven_speakers_and_the_target_is_still_met()
    {
        var source = await RawAudio.SpeechAsync();
        var plain = await RawAudio.LoudgainAsync((await ConvertAsync(source, new LoudnessTarget(-16))).Output.FullName);
        var leveled = await RawAudio.LoudgainAsync((await ConvertAsync(source, new LoudnessTarget(-16), level: true)).Output.FullName);
        Assert.True(leveled.Range <= plain.Range - 2, $"LRA {plain.Range} LU without the leveler, {leveled.Range} LU with it");
        Assert.InRange(leveled.Integrated, -16 - Aim, -16 + Aim);
        Assert.True(leveled.TruePeak <= -0.9, $"true peak {leveled.TruePeak}");
    }
}
