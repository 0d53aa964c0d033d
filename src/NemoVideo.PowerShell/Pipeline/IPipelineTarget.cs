using System.Management.Automation;

namespace NemoVideo.PowerShell;

/// <summary>
/// What the pipeline thread does with the work's reports: a cmdlet's own writes. <see cref="PipelinePump"/> calls it on
/// that thread only; <see cref="NemoCmdlet"/> implements it with the cmdlet's methods of the same names.
/// </summary>
/// <remarks>An interface, not the cmdlet itself, so the pump can be tested without PowerShell running a cmdlet.</remarks>
internal interface IPipelineTarget
{
    void WriteObject(object sendToPipeline);
    void WriteError(ErrorRecord errorRecord);
    void WriteWarning(string text);
    void WriteVerbose(string text);
    void WriteProgress(ProgressRecord progressRecord);
    void WriteInformation(InformationRecord informationRecord);
    bool ShouldProcess(string target, string action);
}
