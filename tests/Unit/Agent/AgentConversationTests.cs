using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Tests.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Agent;

public class AgentConversationTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    private async Task<(NemoApiClient Client, NemoSession Session)> SessionWithClipAsync(EmulatorServer emu)
    {
        var client = _env.Client(emu);
        var session = await client.CreateSessionAsync();
        await client.UploadFilesAsync(session.SessionId, new[] { await Media.ClipAsync() });
        return (client, session);
    }

    [Theory]
    [InlineData(SseShape.Simple)]
    [InlineData(SseShape.Adk)]
    public async Task Reads_text_and_tool_events_in_both_shapes_and_reports_still_working(SseShape shape)
    {
        await using var emu = await Emulators.StartAsync(o => o.SseShape = shape);
        var (client, session) = await SessionWithClipAsync(emu);
        using var _ = client;
        var activity = new List<AgentActivity>();
        var reply = await new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "Extract the audio as MP3 at 320 kbps", new SyncProgress<AgentActivity>(activity.Add));
        Assert.False(reply.Silent);
        Assert.Contains("320 kbps", reply.Text);
        Assert.StartsWith("Done! I've placed the audio", reply.Text); // ADK's repeated whole event is not doubled
        Assert.EndsWith("Click the Export button to download it.", reply.Text);
        Assert.Contains(reply.Events, e => e.Kind == AgentEventKind.ToolCall && e.Name == "set_audio_export");
        Assert.Contains(activity, a => a.IsStillWorking);
        Assert.Null(reply.State);
        Assert.Equal(50, (await client.GetCreditsAsync()).Available); // an edit costs 50 of the 100
    }

    [Fact]
    public async Task A_silent_reply_is_followed_by_a_state_read_that_says_what_changed()
    {
        await using var emu = await Emulators.StartAsync(o => o.SilentReplyRate = 1);
        var (client, session) = await SessionWithClipAsync(emu);
        using var _ = client;
        var reply = await new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "Extract the audio as MP3 at 128 kbps");
        Assert.True(reply.Silent);
        Assert.NotNull(reply.State);
        Assert.True(reply.State!.CanExport);
        Assert.Contains("Timeline (1 track): Audio:", reply.Summary);
    }

    [Fact]
    public async Task No_credits_is_2001_with_advice_to_register_for_an_anonymous_user()
    {
        await using var emu = await Emulators.StartAsync();
        var (client, session) = await SessionWithClipAsync(emu);
        using var _ = client;
        emu.Store.SetCredits(10);
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "Extract the audio as MP3 at 128 kbps"));
        Assert.Equal((NemoErrorKind.InsufficientCredits, 2001), (ex.Kind, ex.Code));
        Assert.Contains("?bind=" + client.Tokens.Current!.UserId, ex.Message);
    }

    [Fact]
    public async Task An_error_event_and_a_stream_error_before_it_starts_are_errors()
    {
        await using var emu = await Emulators.StartAsync();
        var (client, session) = await SessionWithClipAsync(emu);
        using var _ = client;
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", Status = 503 }); // retried: the stream had not begun
        var reply = await new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "Compress the video to 1 Mbps at 240p");
        Assert.Contains("1 Mbps", reply.Text);
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", Status = 404, Code = 1002 });
        var ex = await Assert.ThrowsAsync<NemoApiException>(() => new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "hello"));
        Assert.Equal(NemoErrorKind.SessionNotFound, ex.Kind);
    }

    [Fact]
    public async Task A_stream_cut_in_the_middle_ends_the_turn_with_the_state_read()
    {
        await using var emu = await Emulators.StartAsync();
        var (client, session) = await SessionWithClipAsync(emu);
        using var _ = client;
        emu.Faults.Add(new FaultRule { Route = "POST /run_sse", DropResponseAfterBytes = 400 });
        var reply = await new AgentConversation(client, FastJobs.Recovery).SendAsync(session.SessionId, "Extract the audio as MP3 at 128 kbps");
        Assert.True(reply.Interrupted);
        Assert.NotNull(reply.State);
        Assert.Equal(1, emu.Store.AgentMessages); // not sent twice: a second message would be charged twice
    }

    [Fact]
    public async Task The_agent_may_talk_for_the_documented_15_minutes()
    {
        await using var emu = await Emulators.StartAsync();
        using var client = _env.Client(emu);
        Assert.True(client.Options.AgentTimeout >= TimeSpan.FromMinutes(15));
        Assert.Equal(System.Threading.Timeout.InfiniteTimeSpan, client.Http.Timeout);
    }
}
