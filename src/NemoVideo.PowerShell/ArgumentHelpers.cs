using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using NemoVideo.Jobs;

namespace NemoVideo.PowerShell;

/// <summary>Tab-completes the standard MP3 bitrates.</summary>
public sealed class Mp3BitrateCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Mp3Request.StandardBitrates.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Where(b => b.StartsWith(wordToComplete ?? "", StringComparison.Ordinal))
            .Select(b => new CompletionResult(b, b + " kbps", CompletionResultType.ParameterValue, b + " kbps"));
}

/// <summary>Turns "8Mbps", "8M", "8000k" into kbps while the parameter binds, so a typo is a binding error.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class BitrateTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        return value switch
        {
            int i => i,
            long l => (int)l,
            double d => (int)Math.Round(d),
            string s => Parse(s),
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a bitrate; write it like 8Mbps, 8M or 8000k."),
        };
    }

    private static int Parse(string s)
    {
        try { return MediaUnits.ParseKbps(s); }
        catch (FormatException ex) { throw new ArgumentTransformationMetadataException(ex.Message, ex); }
    }
}
