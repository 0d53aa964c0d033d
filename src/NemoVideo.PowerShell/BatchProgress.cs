using System.Diagnostics;
using System.Management.Automation;
using NemoVideo.Jobs;

namespace NemoVideo.PowerShell;

/// <summary>
/// The progress bars of a batch: a parent bar for the whole batch and a child bar per running file naming
/// its stage. Updates are thinned (stage changes always, otherwise at most five a second per file), since
/// drawing progress is slow, above all in Windows PowerShell. Every bar says the time left
/// (<see cref="ProgressRecord.SecondsRemaining"/>) from the speed measured so far: a file's from its own progress
/// (ffmpeg's, the upload's, the render's), the batch's from the share of all files done, waiting ones counting as none.
/// </summary>
internal sealed class BatchProgress
{
    private const int ParentId = 1;
    private static readonly long MinInterval = Stopwatch.Frequency / 5;
    private readonly string _activity;
    private readonly IReadOnlyList<string> _names;
    private readonly int[] _percent;
    private readonly JobStage?[] _stage;
    private readonly long[] _lastWrite;
    private readonly long[] _started;
    private long _batchStarted;
    private int _done;

    public BatchProgress(string activity, IReadOnlyList<string> names)
    {
        _activity = activity;
        _names = names;
        _percent = new int[names.Count];
        _stage = new JobStage?[names.Count];
        _lastWrite = new long[names.Count];
        _started = new long[names.Count];
    }

    /// <summary>The records to write for this report, or none when it is too soon.</summary>
    public IEnumerable<ProgressRecord> Update(int index, JobProgress p)
    {
        var now = Stopwatch.GetTimestamp();
        if (_started[index] == 0) _started[index] = now;
        if (_batchStarted == 0) _batchStarted = now;
        if (_stage[index] == p.Stage && now - _lastWrite[index] < MinInterval) yield break;
        _stage[index] = p.Stage;
        _lastWrite[index] = now;
        _percent[index] = p.OverallPercent;
        yield return new ProgressRecord(ChildId(index), _names[index], p.Status)
        {
            ParentActivityId = ParentId,
            PercentComplete = Math.Max(0, Math.Min(100, p.OverallPercent)),
            CurrentOperation = p.Stage.ToString(),
            SecondsRemaining = TimeLeft.Seconds(Elapsed(_started[index], now), _percent[index]),
        };
        yield return Parent();
    }

    /// <summary>A file is done (well or not): its bar goes away.</summary>
    public IEnumerable<ProgressRecord> Finish(int index)
    {
        _percent[index] = 100;
        _done++;
        yield return new ProgressRecord(ChildId(index), _names[index], "Done") { ParentActivityId = ParentId, RecordType = ProgressRecordType.Completed };
        yield return Parent();
    }

    public ProgressRecord Complete() => new(ParentId, _activity, "Done") { RecordType = ProgressRecordType.Completed };

    private ProgressRecord Parent() => new(ParentId, _activity, $"{_done} of {_names.Count} files done")
    {
        PercentComplete = (int)_percent.Average(),
        SecondsRemaining = _batchStarted == 0 ? -1 : TimeLeft.Seconds(Elapsed(_batchStarted, Stopwatch.GetTimestamp()), _percent.Average()),
    };

    private static TimeSpan Elapsed(long from, long to) => TimeSpan.FromSeconds((to - from) / (double)Stopwatch.Frequency);

    private static int ChildId(int index) => 10 + index;
}

/// <summary>Time left from the speed measured so far: what is left at the average rate since the start.</summary>
internal static class TimeLeft
{
    /// <summary>Seconds left for work <paramref name="percent"/> done after <paramref name="elapsed"/>; -1 (unknown) before there is a speed to go by.</summary>
    public static int Seconds(TimeSpan elapsed, double percent)
    {
        if (percent < 1 || elapsed < TimeSpan.FromSeconds(0.5)) return -1;
        if (percent >= 100) return 0;
        return (int)Math.Ceiling(elapsed.TotalSeconds * (100 - percent) / percent);
    }
}
