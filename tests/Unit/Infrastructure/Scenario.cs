using NemoVideo.Agent;
using NemoVideo.Api;
using NemoVideo.Emulator;
using NemoVideo.Jobs;

namespace NemoVideo.Tests.Infrastructure;

/// <summary>Cloud jobs with polling and state waits shortened for tests.</summary>
public static class FastJobs
{
    public static PollSchedule Schedule => new() { First = TimeSpan.FromMilliseconds(50), Min = TimeSpan.FromMilliseconds(20), Max = TimeSpan.FromMilliseconds(250) };

    /// <summary>The skill's 30 s / 60 s / 5 min follow-up of a dropped agent stream, in milliseconds.</summary>
    public static AgentRecovery Recovery => new() { FirstWait = TimeSpan.FromMilliseconds(100), Interval = TimeSpan.FromMilliseconds(150), GiveUp = TimeSpan.FromMilliseconds(600) };

    public static CloudJob Cloud(NemoApiClient client) => new(client, Schedule)
    {
        StateRetryDelays = new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) },
        Recovery = Recovery,
    };

    /// <summary>
    /// The same, on a machine where ffmpeg is (<paramref name="ffmpeg"/> true) or is not installed; with the jobs'
    /// temp folders under <paramref name="scratch"/>, paid work written to <paramref name="journal"/>, and at most
    /// <paramref name="partsAtOnce"/> parts of a source sent in parts at the service at once.
    /// </summary>
    public static CloudJob Cloud(NemoApiClient client, bool ffmpeg, string? scratch = null, PaidWorkJournal? journal = null, int partsAtOnce = 2) => new(client, Schedule)
    {
        StateRetryDelays = new[] { TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200) },
        Recovery = Recovery,
        LocateFfmpeg = ffmpeg ? () => NemoVideo.Local.FfmpegTools.Locate() : () => null,
        ScratchRoot = scratch, Journal = journal, PartsAtOnce = partsAtOnce,
    };
}

/// <summary>A session with a clip uploaded and the agent asked: the usual start of a render test.</summary>
public static class Scenario
{
    public static async Task<(NemoSession Session, SessionState State)> PreparedAsync(NemoApiClient client, string instruction = "Extract the audio as MP3 at 128 kbps", double seconds = 3)
    {
        var session = await client.CreateSessionAsync();
        await client.UploadFilesAsync(session.SessionId, new[] { await Media.ClipAsync(".mp4", seconds) });
        await new AgentConversation(client).SendAsync(session.SessionId, instruction);
        return (session, await client.GetStateAsync(session.SessionId));
    }
}
