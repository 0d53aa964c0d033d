using NemoVideo.Api;
using NemoVideo.Jobs;

namespace NemoVideo.Tests.Jobs;

public class PollScheduleTests
{
    private static RenderJob At(double progress, TimeSpan? retryAfter = null) =>
        new() { Id = "r", Status = RenderStatus.Processing, Progress = progress, RetryAfter = retryAfter };

    [Fact]
    public void Starts_short_and_grows_while_the_progress_does_not_move()
    {
        var s = new PollSchedule();
        var waits = Enumerable.Range(0, 10).Select(i => s.Next(i, At(5), TimeSpan.FromSeconds(i), At(5), TimeSpan.FromSeconds(i - 1))).ToList();
        Assert.Equal(TimeSpan.FromSeconds(1), waits[0]);
        Assert.True(waits.Zip(waits.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(s.Max, waits[^1]);
    }

    [Fact]
    public void Aims_just_past_the_finish_that_the_progress_rate_predicts()
    {
        var s = new PollSchedule();
        // 1 % a second, 1.5 % left: the finish is 1.5 s away, the poll comes just after it.
        Assert.Equal(TimeSpan.FromSeconds(1.5) + s.Margin, s.Next(12, At(98.5), TimeSpan.FromSeconds(88), At(97.5), TimeSpan.FromSeconds(87)));
        // 20 s left: half of it, so the estimate is checked before committing to it.
        Assert.Equal(TimeSpan.FromSeconds(10), s.Next(8, At(80), TimeSpan.FromSeconds(80), At(70), TimeSpan.FromSeconds(70)));
        // Far from the end the wait is capped.
        Assert.Equal(s.Max, s.Next(5, At(10), TimeSpan.FromSeconds(10), At(9), TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void A_90_second_render_is_noticed_within_a_second_with_at_most_twice_the_polls_of_a_10_second_poller()
    {
        // A render whose progress runs linearly from 5 % to 100 % over 90 s, polled with the default schedule.
        static double Progress(double t) => Math.Min(100, 5 + 95 * t / 90);
        var s = new PollSchedule();
        double t = 0, prevT = 0;
        RenderJob? prev = null;
        var last = At(5);
        var polls = 0;
        while (t < 90)
        {
            var wait = s.Next(polls, last, TimeSpan.FromSeconds(t), prev, TimeSpan.FromSeconds(prevT)).TotalSeconds;
            (prev, prevT) = (last, t);
            t += wait;
            polls++;
            last = At(Progress(t));
        }
        Assert.InRange(t - 90, 0, 1);
        Assert.InRange(polls, 1, 18);
    }

    [Fact]
    public void A_server_hint_wins()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), new PollSchedule().Next(0, At(50, TimeSpan.FromSeconds(7)), TimeSpan.FromSeconds(1)));
    }
}
