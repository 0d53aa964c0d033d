using NemoVideo.Jobs;
using Xunit;
using Xunit.Abstractions;

namespace NemoVideo.Tests.Architecture;

/// <summary>
/// The core's data flows one way: cmdlet → job (Jobs) → engine stages → API client (Api, Agent) / ffmpeg (Local) /
/// files, with Media and Transfers at the bottom. Read from the compiled core, so nothing the compiler sees escapes.
/// </summary>
public sealed class NamespaceGraphTests
{
    private readonly ITestOutputHelper _output;

    public NamespaceGraphTests(ITestOutputHelper output) => _output = output;

    private static NamespaceGraph Core() => NamespaceGraph.Read(typeof(CloudJob).Assembly.Location, "NemoVideo");

    [Fact]
    public void TheCoresNamespacesDependOnEachOtherWithoutACycle()
    {
        var graph = Core();
        _output.WriteLine(graph.ToString());
        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "Namespace cycles in NemoVideo.Core:\n" + string.Join("\n", cycles.Select(c => string.Join(" -> ", c))) + "\n\nThe graph:\n" + graph);
    }

    [Fact]
    public void MediaAndTransfersAreAtTheBottom()
    {
        var graph = Core();
        foreach (var bottom in new[] { "NemoVideo.Media", "NemoVideo.Transfers" })
        {
            var uses = graph.Edges.TryGetValue(bottom, out var t) ? t.Keys.Where(k => k != "NemoVideo.Media").ToList() : new List<string>();
            Assert.True(uses.Count == 0, $"{bottom} uses {string.Join(", ", uses)}");
        }
    }

    [Fact]
    public void NothingBelowTheJobsUsesThem()
    {
        var graph = Core();
        var users = graph.Edges.Where(e => e.Key != "NemoVideo" && e.Value.ContainsKey("NemoVideo.Jobs")).Select(e => e.Key).ToList();
        Assert.True(users.Count == 0, "These namespaces use NemoVideo.Jobs: " + string.Join(", ", users));
    }

    [Fact]
    public void ACycleIsFoundAndNamed()
    {
        var graph = NamespaceGraph.Of(("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "D2"));
        Assert.Equal(new[] { "A -> B -> C -> A" }, graph.Cycles().Select(c => string.Join(" -> ", c)));
        Assert.Empty(NamespaceGraph.Of(("A", "B"), ("A", "C"), ("B", "C")).Cycles());
    }

    [Fact]
    public void TheGraphSeesDependenciesThatOnlyTheCompiledCodeShows()
    {
        // The reader itself must see edges, including ones no using directive names: Jobs calls into Media through var.
        var graph = Core();
        Assert.True(graph.Edges["NemoVideo.Jobs"].ContainsKey("NemoVideo.Media"));
        Assert.True(graph.Edges["NemoVideo.Jobs"].ContainsKey("NemoVideo.Local"));
        Assert.True(graph.Edges["NemoVideo"].ContainsKey("NemoVideo.Jobs")); // NemoConnection's default engine
    }
}
