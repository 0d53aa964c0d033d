using System.Reflection;
using NemoVideo.Auth;
using NemoVideo.Jobs;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Infrastructure
{
    [AttributeUsage(AttributeTargets.Assembly)]
    public sealed class ProbeProgramAttribute(string path) : Attribute { public string Path { get; } = path; }
}

namespace NemoVideo.Tests.Reliability
{
    /// <summary>Many files at once, and two processes sharing one token cache.</summary>
    public class LoadTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
    {
        private readonly TestEnvironment _env = new();
        public void Dispose() => _env.Dispose();

        [Fact]
        public async Task Thirty_two_files_with_throttle_8_all_convert_with_one_token_a_session_each_and_flat_memory()
        {
            await using var emu = await Emulators.StartAsync(o => o.AnonymousCredits = 100_000);
            using var client = _env.Client(emu);
            var clip = await Media.ClipAsync(".mp4", seconds: 2);
            List<MediaJobRequest> Batch(string prefix, int n) => Enumerable.Range(0, n).Select(i =>
            {
                var input = _env.PathIn($"{prefix} {i}.mp4");
                File.Copy(clip, input, overwrite: true);
                return (MediaJobRequest)new Mp3Request(input, Path.ChangeExtension(input, ".mp3"), 128);
            }).ToList();
            var runner = new BatchRunner(FaultToleranceTests.Job(client).RunAsync, throttle: 8);

            await runner.RunAsync(Batch("warm", 8), new FaultToleranceTests.Recorder(), CancellationToken.None);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var observer = new FaultToleranceTests.Recorder();
            await runner.RunAsync(Batch("load", 32), observer, CancellationToken.None);
            var after = GC.GetTotalMemory(forceFullCollection: true);

            output.WriteLine($"managed heap after 8 files: {before >> 20} MB; after 32 more: {after >> 20} MB ({(after - before) / 1048576.0:0.0} MB)");
            Assert.Equal(32, observer.Done.Count);
            Assert.Empty(observer.Failures);
            Assert.Equal(40, Directory.GetFiles(_env.WorkDirectory, "*.mp3").Length);
            Assert.Equal(1, emu.Store.AnonymousTokensIssued);
            Assert.Equal(40, emu.Store.SessionCount); // no session shared between files
            Assert.True(after - before < 32L << 20, $"managed memory grew by {(after - before) >> 20} MB over 32 files");
        }

        [Fact]
        public async Task Two_processes_converting_at_once_with_one_cache_get_one_anonymous_token()
        {
            await using var emu = await Emulators.StartAsync();
            var probe = typeof(LoadTests).Assembly.GetCustomAttribute<ProbeProgramAttribute>()!.Path;
            var startAt = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds().ToString();
            var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
                Media.RunAsync("dotnet", new[] { probe, "tokenprobe", emu.BaseUri.ToString(), _env.ConfigDirectory, startAt })));
            Assert.All(runs, r => Assert.True(r.Code == 0, r.Stderr));
            Assert.Equal(runs[0].Stdout.Trim(), runs[1].Stdout.Trim());
            Assert.StartsWith("sha256:", runs[0].Stdout.Trim());
            Assert.Equal(1, emu.Store.AnonymousTokensIssued);
            Assert.NotNull(new TokenCache(_env.ConfigDirectory).TryGet(emu.BaseUri)); // the cache is whole
        }
    }
}
