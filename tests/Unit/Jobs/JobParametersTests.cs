using NemoVideo.Jobs;
using NemoVideo.Local;
using NemoVideo.Media;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Jobs;

/// <summary>The request a journal entry keeps: written with the entry, read back, and made again with the same journal key.</summary>
public class JobParametersTests : IDisposable
{
    private static readonly Uri Api = new("https://api.example.test/");
    private readonly TestEnvironment _env = new();
    private readonly string _source;

    public JobParametersTests()
    {
        _source = _env.PathIn("talk.mkv");
        File.WriteAllText(_source, "only its path, size and last write count");
    }

    public void Dispose() => _env.Dispose();

    /// <summary>Saved with its entry, listed back, made again: the request made again opens the same entry.</summary>
    private MediaJobRequest RoundTrip(MediaJobRequest asked)
    {
        var journal = new PaidWorkJournal(_env.ConfigDirectory);
        var entry = journal.Open(asked, new FileInfo(_source), "fp", Api);
        entry.RecordEdit("sess-1", Array.Empty<NemoVideo.Api.UploadedAsset>());
        Assert.True(journal.Save(entry));
        var work = PendingWork.From(Assert.Single(journal.List()));
        var again = work.Parameters!.ToRequest(work.Source);
        Assert.Equal(entry.Key, journal.Open(again, new FileInfo(_source), "fp", Api).Key);
        return again;
    }

    [Fact]
    public void An_MP3_request_comes_back_with_every_parameter()
    {
        var asked = new Mp3Request(_source, Path.Combine(_env.PathIn("podcast3"), "talk.mp3"), Mp3Encoding.Constant(128), audioTrack: 2)
        {
            Overwrite = true, RenderTimeout = TimeSpan.FromMinutes(9), Loudness = new LoudnessTarget(-16, -1.5), Level = true, SendWholeFile = true,
            Tags = new Dictionary<string, string?> { ["title"] = "Episode 3", ["comment"] = null },
            Chapters = new[] { new MediaChapter(TimeSpan.Zero, TimeSpan.FromSeconds(30), "Intro"), new MediaChapter(TimeSpan.FromSeconds(30), null, "Talk") },
            Cover = new CoverPicture("image/png", new byte[] { 1, 2, 3 }, "front"),
        };
        var again = Assert.IsType<Mp3Request>(RoundTrip(asked));
        Assert.Equal(asked.Instruction, again.Instruction);
        Assert.Equal(asked.OutputPath, again.OutputPath);
        Assert.Equal((128, (int?)2, true), (again.Encoding.ConstantKbps!.Value, again.AudioTrack, again.Overwrite));
        Assert.Equal(TimeSpan.FromMinutes(9), again.RenderTimeout);
        Assert.Equal((-16.0, -1.5), (again.Loudness!.Integrated, again.Loudness.TruePeak));
        Assert.True(again.Level && again.SendWholeFile);
        Assert.Equal("Episode 3", again.Tags["title"]);
        Assert.Null(again.Tags["comment"]);
        Assert.Equal(new[] { "Intro", "Talk" }, again.Chapters!.Select(c => c.Title));
        Assert.Equal(TimeSpan.FromSeconds(30), again.Chapters![0].End);
        Assert.Equal(new byte[] { 1, 2, 3 }, again.Cover!.Data);
    }

    [Fact]
    public void A_VBR_MP3_request_stays_VBR()
    {
        var again = Assert.IsType<Mp3Request>(RoundTrip(new Mp3Request(_source, _env.PathIn("talk.mp3"), Mp3Encoding.Variable(2)) { AudioLanguage = "ger" }));
        Assert.Equal(2, again.Encoding.VbrQuality);
        Assert.Equal("ger", again.AudioLanguage);
    }

    [Fact]
    public void A_compression_comes_back_by_bitrate_or_by_size_as_asked()
    {
        var byRate = Assert.IsType<CompressRequest>(RoundTrip(new CompressRequest(_source, _env.PathIn("talk.mp4"), 2500, 720) { TwoPass = true, Codec = VideoCodec.H265 }));
        Assert.Equal((2500, (int?)720, true, VideoCodec.H265, (FileSize?)null), (byRate.VideoBitrateKbps, byRate.Height, byRate.TwoPass, byRate.Codec, byRate.TargetSize));

        var parameters = JobParameters.Of(new CompressRequest(_source, _env.PathIn("small.mp4"), new FileSize(25L * 1024 * 1024)))!;
        Assert.Equal(("Compress", 25L * 1024 * 1024, (int?)null), (parameters.Kind, parameters.TargetSize!.Value, parameters.VideoBitrate));
        var bySize = Assert.IsType<CompressRequest>(parameters.ToRequest(_source));
        Assert.Equal(new FileSize(25L * 1024 * 1024), bySize.TargetSize);
    }
}
