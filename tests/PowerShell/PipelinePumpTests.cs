using System.Collections.Concurrent;
using System.Management.Automation;

namespace NemoVideo.PowerShell.Tests;

/// <summary>
/// The bridge from the work's pool threads back to the pipeline thread, on its own: a fake stands where the cmdlet
/// would, and the test's own thread is the pipeline thread.
/// </summary>
public class PipelinePumpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public void Writes_from_several_pool_threads_arrive_in_the_order_each_thread_made_them()
    {
        const int threads = 6, writes = 400;
        var target = new FakeTarget();
        var pump = new PipelinePump(target);
        var workerThreads = new ConcurrentBag<int>();

        pump.Run(async (pipeline, ct) =>
        {
            using var start = new Barrier(threads);
            var writers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
            {
                workerThreads.Add(Environment.CurrentManagedThreadId);
                start.SignalAndWait(ct); // all at once, so their writes interleave in the queue
                for (var i = 0; i < writes; i++) pipeline.WriteObject((t, i));
            }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default));
            await Task.WhenAll(writers);
        });

        Assert.Equal(threads * writes, target.Writes.Count);
        Assert.All(target.Writes, w => Assert.Equal(target.PipelineThread, w.Thread));
        Assert.DoesNotContain(target.PipelineThread, workerThreads);
        foreach (var thread in target.Writes.Select(w => ((int T, int I))w.Value).GroupBy(v => v.T))
            Assert.Equal(Enumerable.Range(0, writes), thread.Select(v => v.I));
    }

    [Fact]
    public void One_threads_mixed_writes_arrive_in_exactly_the_order_made()
    {
        var target = new FakeTarget();
        var error = new ErrorRecord(new IOException("bad file"), "Test.Bad", ErrorCategory.ReadError, null);
        var progress = new ProgressRecord(1, "Converting", "half") { PercentComplete = 50 };

        new PipelinePump(target).Run(async (pipeline, ct) =>
        {
            await Task.Yield();
            pipeline.WriteObject("first");
            pipeline.WriteVerbose("a verbose line");
            pipeline.WriteWarning("a warning");
            pipeline.WriteProgress(progress);
            pipeline.WriteError(error);
            pipeline.WriteInformation("words", "NemoAgent");
            pipeline.WriteObjectMadeOnPipelineThread(() => "made " + (Environment.CurrentManagedThreadId == target.PipelineThread ? "there" : "elsewhere"));
            pipeline.WriteObject("last");
        });

        Assert.Equal(new[] { "Object", "Verbose", "Warning", "Progress", "Error", "Information", "Object", "Object" }, target.Writes.Select(w => w.Kind));
        Assert.Equal("first", target.Writes[0].Value);
        Assert.Equal("a verbose line", target.Writes[1].Value);
        Assert.Equal("a warning", target.Writes[2].Value);
        Assert.Same(progress, target.Writes[3].Value);
        Assert.Same(error, target.Writes[4].Value);
        var information = Assert.IsType<InformationRecord>(target.Writes[5].Value);
        Assert.Equal(("words", "NemoAgent"), (information.MessageData, information.Source));
        Assert.Equal("made there", target.Writes[6].Value);
        Assert.Equal("last", target.Writes[7].Value);
    }

    [Fact]
    public void Writes_after_the_work_has_ended_are_dropped_not_thrown()
    {
        var target = new FakeTarget();
        PipelineWriter? kept = null;

        new PipelinePump(target).Run((pipeline, ct) =>
        {
            kept = pipeline;
            pipeline.WriteObject("in time");
            return Task.CompletedTask;
        });
        // What a straggler (a progress callback, the HTTP trace) might still send from a pool thread.
        Task.Run(() =>
        {
            kept!.WriteObject("late");
            kept.WriteVerbose("late");
            kept.WriteError(new ErrorRecord(new IOException("late"), "Test.Late", ErrorCategory.ReadError, null));
        }).Wait(Patience);
        var question = kept!.ShouldProcessAsync("late", "ask");

        Assert.Equal(new object[] { "in time" }, target.Writes.Select(w => w.Value));
        Assert.True(question.IsCanceled, "a question nobody can answer any more is given up, not left waiting");
    }

    [Fact]
    public void Writes_after_Stop_are_dropped_while_the_work_winds_down()
    {
        var target = new FakeTarget();
        var pump = new PipelinePump(target);
        var sawCancellation = false;

        pump.Run(async (pipeline, ct) =>
        {
            await Task.Yield();
            pipeline.WriteObject("before");
            pump.Stop(); // Ctrl+C: StopProcessing comes on another thread than the pipeline's
            sawCancellation = ct.IsCancellationRequested;
            pipeline.WriteObject("after");
            pipeline.WriteWarning("after");
            pipeline.WriteProgress(new ProgressRecord(1, "Converting", "after"));
        });

        Assert.True(sawCancellation);
        Assert.True(pump.StopToken.IsCancellationRequested);
        Assert.Equal(new object[] { "before" }, target.Writes.Select(w => w.Value));
    }

    [Fact]
    public void A_failure_on_a_pool_thread_is_rethrown_on_the_pipeline_thread_as_thrown()
    {
        var target = new FakeTarget();
        var thrownOn = 0;

        var ex = Assert.Throws<FileNotFoundException>(() => new PipelinePump(target).Run(async (pipeline, ct) =>
        {
            await Task.Delay(10, ct);
            pipeline.WriteObject("one");
            thrownOn = Environment.CurrentManagedThreadId;
            throw new FileNotFoundException("clip 1.mkv is gone");
        }));

        Assert.Equal("clip 1.mkv is gone", ex.Message);
        Assert.NotEqual(target.PipelineThread, thrownOn);
        Assert.Equal(new object[] { "one" }, target.Writes.Select(w => w.Value)); // what came before the failure is still written
    }

    [Fact]
    public void ShouldProcess_asked_from_a_pool_thread_is_answered_on_the_pipeline_thread()
    {
        var target = new FakeTarget { Answer = (t, _) => t == "yes.mp3" };
        var askedOn = 0;
        var answers = new List<bool>();

        new PipelinePump(target).Run(async (pipeline, ct) =>
        {
            await Task.Yield();
            askedOn = Environment.CurrentManagedThreadId;
            answers.Add(await pipeline.ShouldProcessAsync("yes.mp3", "Convert"));
            answers.Add(await pipeline.ShouldProcessAsync("no.mp3", "Convert"));
        });

        Assert.NotEqual(target.PipelineThread, askedOn);
        Assert.Equal(new[] { ("yes.mp3", "Convert"), ("no.mp3", "Convert") }, target.Questions.Select(q => (q.Target, q.Action)));
        Assert.All(target.Questions, q => Assert.Equal(target.PipelineThread, q.Thread));
        Assert.Equal(new[] { true, false }, answers);
    }

    [Fact]
    public void A_write_that_throws_on_the_pipeline_thread_cancels_the_work_and_ends_the_pump()
    {
        var target = new FakeTarget { FailObject = _ => new PipelineStoppedException() };
        var pump = new PipelinePump(target);
        var workCancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<PipelineStoppedException>(() => pump.Run(async (pipeline, ct) =>
        {
            pipeline.WriteObject("refused");
            try { await Task.Delay(Timeout.Infinite, ct); }
            catch (OperationCanceledException) { workCancelled.TrySetResult(true); throw; }
        }));

        Assert.True(pump.StopToken.IsCancellationRequested);
        Assert.True(workCancelled.Task.Wait(Patience), "the work's token was cancelled");
        Assert.True(clock.Elapsed < Patience, $"the pump ended when the work did, not after its wait ran out ({clock.Elapsed})");
    }

    [Fact]
    public void A_question_queued_behind_a_failed_write_is_given_up_not_left_waiting()
    {
        var target = new FakeTarget { FailObject = _ => new PipelineStoppedException() };
        var pump = new PipelinePump(target);
        Task<bool>? question = null;
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Assert.Throws<PipelineStoppedException>(() => pump.Run(async (pipeline, ct) =>
        {
            pipeline.WriteObject("refused");
            question = pipeline.ShouldProcessAsync("clip.mp4", "Convert"); // behind the write that will fail
            await question; // does not observe ct: only giving the question up ends this
        }));

        Assert.True(question!.IsCanceled);
        Assert.Empty(target.Questions);
        Assert.True(clock.Elapsed < Patience, $"the work ended when the question was given up ({clock.Elapsed})");
    }

    /// <summary>Stands where the cmdlet would: records each write with the thread it came on.</summary>
    private sealed class FakeTarget : IPipelineTarget
    {
        public int PipelineThread { get; } = Environment.CurrentManagedThreadId;
        public List<(string Kind, object Value, int Thread)> Writes { get; } = new();
        public List<(string Target, string Action, int Thread)> Questions { get; } = new();
        public Func<string, string, bool> Answer { get; init; } = (_, _) => true;
        public Func<object, Exception?> FailObject { get; init; } = _ => null;

        public void WriteObject(object sendToPipeline)
        {
            if (FailObject(sendToPipeline) is Exception ex) throw ex;
            Record("Object", sendToPipeline);
        }

        public void WriteError(ErrorRecord errorRecord) => Record("Error", errorRecord);
        public void WriteWarning(string text) => Record("Warning", text);
        public void WriteVerbose(string text) => Record("Verbose", text);
        public void WriteProgress(ProgressRecord progressRecord) => Record("Progress", progressRecord);
        public void WriteInformation(InformationRecord informationRecord) => Record("Information", informationRecord);

        public bool ShouldProcess(string target, string action)
        {
            Questions.Add((target, action, Environment.CurrentManagedThreadId));
            return Answer(target, action);
        }

        private void Record(string kind, object value) => Writes.Add((kind, value, Environment.CurrentManagedThreadId));
    }
}
