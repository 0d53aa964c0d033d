namespace NemoVideo.Jobs;

/// <summary>The steps of a cloud job, in order.</summary>
public enum JobStage
{
    Starting,
    Uploading,
    AgentWorking,
    CheckingState,
    Rendering,
    Downloading,
    /// <summary>The local engine: ffmpeg at work on this machine.</summary>
    Encoding,
    Completed,
}

/// <summary>Where a job is, for a progress bar: a stage, a percentage when one is known, and a line of text.</summary>
public readonly struct JobProgress
{
    public JobProgress(JobStage stage, int? percent, string status)
    {
        Stage = stage;
        Percent = percent;
        Status = status;
    }

    public JobStage Stage { get; }
    /// <summary>0 to 100 within the stage, or null.</summary>
    public int? Percent { get; }
    public string Status { get; }

    /// <summary>A rough share of the whole job done, for a single bar: upload and render weigh most.</summary>
    public int OverallPercent
    {
        get
        {
            var p = (Percent ?? 0) / 100.0;
            return (int)Math.Round(Stage switch
            {
                JobStage.Starting => 0,
                JobStage.Uploading => 30 * p,
                JobStage.AgentWorking => 30 + 5 * p,
                JobStage.CheckingState => 35,
                JobStage.Rendering => 35 + 45 * p,
                JobStage.Downloading => 80 + 20 * p,
                JobStage.Encoding => 100 * p,
                _ => 100,
            });
        }
    }

    public override string ToString() => Percent is int n ? $"{Stage} {n}% {Status}" : $"{Stage} {Status}";
}
