using NemoVideo.Media;

namespace NemoVideo.Jobs;

/// <summary>The render judged from its bytes against what was asked (and measured further where the kind asks more); a miss is finished here.</summary>
internal sealed class JudgeRenderStage : IJobStage
{
    public string Name => "judge";

    public async Task RunAsync(JobContext job, CancellationToken ct)
    {
        job.Facts = MediaInspector.Inspect(job.Output.TempPath);
        var judgement = job.Request.Judge(job.Facts, job.SourceDuration);
        if (judgement.Problem is string problem)
        {
            job.Problem = $"The service returned a file that is not what was asked: {problem}";
            return;
        }
        job.Warnings.InsertRange(0, judgement.Warnings);
        job.Problem = await job.Request.JudgeRenderAsync(job, ct).ConfigureAwait(false);
    }
}
