using NemoVideo.Local;

namespace NemoVideo.Jobs;

/// <summary>ffmpeg's output judged against what was asked: not that is an error (there is nothing else to finish it with); differences worth saying are warnings.</summary>
internal sealed class JudgeEncodeStage : IJobStage
{
    public string Name => "judge";

    public Task RunAsync(JobContext job, CancellationToken ct)
    {
        var judgement = job.Request.Judge(job.Facts!, job.SourceDuration);
        if (judgement.Problem is string problem)
            throw new LocalEngineException(LocalErrorKind.ConversionFailed, $"ffmpeg's output for '{job.Source.Name}' is not what was asked: {problem}",
                job.Request.EncodeMissAdvice);
        job.Warnings.InsertRange(0, judgement.Warnings);
        return Task.CompletedTask;
    }
}
