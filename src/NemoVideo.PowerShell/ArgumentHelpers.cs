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

/// <summary>Offers fixed values in the order given (not sorted as text), those starting with what is typed first.</summary>
public abstract class ListCompleter : IArgumentCompleter
{
    protected abstract IEnumerable<(string Value, string Tip)> Values(CommandAst commandAst, IDictionary fakeBoundParameters);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var typed = (wordToComplete ?? "").Trim('\'', '"');
        return Values(commandAst, fakeBoundParameters)
            .Where(v => v.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
            .GroupBy(v => v.Value, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Select(v => new CompletionResult(v.Value, v.Value, CompletionResultType.ParameterValue, v.Tip));
    }
}

/// <summary>-Resolution's heights from the smallest up (a ValidateSet would complete them sorted as text: 1080p before 240p).</summary>
public sealed class ResolutionCompleter : ListCompleter
{
    internal static readonly string[] Heights = { "240p", "360p", "480p", "540p", "720p", "1080p", "1440p", "2160p" };
    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Heights.Select(h => (h, h + " (the output height)"));
}

/// <summary>-TargetSize's common sizes: mail and chat limits, then larger.</summary>
public sealed class TargetSizeCompleter : ListCompleter
{
    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) =>
        new[] { "8MB", "10MB", "25MB", "50MB", "100MB", "500MB", "1GB" }.Select(s => (s, s + " (the file's size)"));
}

/// <summary>-VideoBitrate's common rates, from a phone screen to 4K.</summary>
public sealed class VideoBitrateCompleter : ListCompleter
{
    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) =>
        new[] { "1M", "2.5M", "4M", "5M", "8M", "12M", "20M" }.Select(b => (b, b.TrimEnd('M') + " Mbps"));
}

/// <summary>-Loudness's common targets in LUFS.</summary>
public sealed class LoudnessCompleter : ListCompleter
{
    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) => new[]
    {
        ("-14", "-14 LUFS (streaming music)"), ("-16", "-16 LUFS (podcasts)"), ("-19", "-19 LUFS (mono podcasts)"),
        ("-23", "-23 LUFS (EBU R 128 broadcast)"), ("-24", "-24 LUFS (ATSC A/85 broadcast)"),
    };
}

/// <summary>
/// -AudioLanguage: the languages of the audio tracks of the file named by -Path or -LiteralPath on the command line
/// (read by the managed inspector, no ffprobe), then the common ISO 639-2 codes.
/// </summary>
public sealed class AudioLanguageCompleter : ListCompleter
{
    internal static readonly string[] Common = { "eng", "ger", "deu", "fra", "fre", "spa", "ita", "por", "nld", "jpn", "zho", "chi", "kor", "rus" };

    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) =>
        FromFile(fakeBoundParameters).Concat(Common.Select(c => (c, c + " (ISO 639-2)")));

    private static IEnumerable<(string, string)> FromFile(IDictionary fakeBoundParameters)
    {
        var named = (fakeBoundParameters["LiteralPath"] ?? fakeBoundParameters["Path"]) switch
        {
            string s => s,
            object[] a when a.Length > 0 => a[0]?.ToString(),
            IEnumerable e and not string => e.Cast<object?>().FirstOrDefault()?.ToString(),
            var other => other?.ToString(),
        };
        if (string.IsNullOrWhiteSpace(named)) return Array.Empty<(string, string)>();
        try
        {
            // The runspace is busy completing: a nested pipeline in it resolves the path as the command would.
            using var ps = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            ps.AddScript("param($p, $literal) if ($literal) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($p) } else { @(Resolve-Path -Path $p -ErrorAction Ignore)[0].ProviderPath }")
                .AddArgument(named).AddArgument(fakeBoundParameters.Contains("LiteralPath"));
            var path = ps.Invoke().FirstOrDefault()?.BaseObject as string;
            if (path is null) return Array.Empty<(string, string)>();
            if (!File.Exists(path)) return Array.Empty<(string, string)>();
            var facts = NemoVideo.Media.MediaInspector.Inspect(path);
            return facts.AudioTracks.Select((t, i) => (Language: t.Language, Index: i + 1))
                .Where(t => !string.IsNullOrWhiteSpace(t.Language) && t.Language != "und")
                .Select(t => (t.Language!, $"{t.Language} (audio track {t.Index} of {System.IO.Path.GetFileName(path)})"))
                .ToList();
        }
        catch (Exception) { return Array.Empty<(string, string)>(); } // a file that cannot be read offers the common codes
    }
}

/// <summary>Render ids this session has seen (started, looked up or cancelled through the module), newest first.</summary>
public sealed class RenderIdCompleter : ListCompleter
{
    protected override IEnumerable<(string, string)> Values(CommandAst commandAst, IDictionary fakeBoundParameters) =>
        (ModuleState.Current?.RenderIds ?? Array.Empty<string>()).Select(id => (id, id));
}

/// <summary>
/// An MP3 bitrate as people write it — 320, "320k", "320kbps" — and only the MPEG-1 Layer III rates (32 to 320):
/// LAME encodes 191 as 192, so anything else is a binding error that lists the rates, not a file that is not what it says.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class Mp3BitrateTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        int kbps;
        try
        {
            kbps = value switch
            {
                int i => i,
                long l => checked((int)l),
                double d when d == Math.Floor(d) => (int)d,
                string s => MediaUnits.ParseKbps(s),
                _ => throw new FormatException($"'{value}' is not a bitrate"),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new ArgumentTransformationMetadataException($"'{value}' is not an MP3 bitrate; write it like 192, 192k or 192kbps.", ex);
        }
        if (!Mp3Request.StandardBitrates.Contains(kbps))
        {
            var nearest = Mp3Request.StandardBitrates.OrderBy(r => Math.Abs(r - kbps)).First();
            throw new ArgumentTransformationMetadataException(
                $"{kbps} kbps is not an MP3 bitrate (the nearest is {nearest}); use one of {string.Join(", ", Mp3Request.StandardBitrates)}.");
        }
        return kbps;
    }
}

/// <summary>
/// A render's time limit as people write it: a bare number is seconds (as Invoke-WebRequest -TimeoutSec), "10m",
/// "90s", "1h", "00:10:00" or a TimeSpan. Less than a render can take is refused while binding, before anything is paid for.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class RenderTimeoutTransformationAttribute : ArgumentTransformationAttribute
{
    /// <summary>Renders of a short clip take 30–90 s: a shorter limit would cancel every render after its paid edit.</summary>
    public static readonly TimeSpan Minimum = TimeSpan.FromSeconds(30);

    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        var timeout = value switch
        {
            TimeSpan t => t,
            int or long or double or decimal => TimeSpan.FromSeconds(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
            string s => Parse(s.Trim()),
            _ => throw new ArgumentTransformationMetadataException($"'{value}' is not a time limit; write it like 600 (seconds), 10m or 00:10:00."),
        };
        if (timeout < Minimum)
            throw new ArgumentTransformationMetadataException(
                $"A render time limit of {timeout.TotalSeconds:0} s is too short: renders take 30 to 90 seconds, and the paid edit would be lost. Give at least 30 (seconds), like 600, 10m or 00:10:00.");
        return timeout;
    }

    private static TimeSpan Parse(string s)
    {
        var ci = System.Globalization.CultureInfo.InvariantCulture;
        if (double.TryParse(s, System.Globalization.NumberStyles.Float, ci, out var seconds)) return TimeSpan.FromSeconds(seconds);
        var m = System.Text.RegularExpressions.Regex.Match(s, @"^(?<n>[0-9]+(?:\.[0-9]+)?)\s*(?<u>s|sec|m|min|h|hr)$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (m.Success)
        {
            var n = double.Parse(m.Groups["n"].Value, ci);
            return m.Groups["u"].Value.ToLowerInvariant()[0] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), _ => TimeSpan.FromHours(n) };
        }
        if (s.Contains(":") && TimeSpan.TryParse(s, ci, out var t)) return t;
        throw new ArgumentTransformationMetadataException($"'{s}' is not a time limit; write it like 600 (seconds), 10m or 00:10:00.");
    }
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

/// <summary>A file size as people write it — 25MB (PowerShell's own bytes), '25 MB', '800KB', '1.5GB' — turned into bytes while binding.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class FileSizeTransformationAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject pso ? pso.BaseObject : inputData;
        try
        {
            return value switch
            {
                int i => (long)i,
                long l => l,
                double d => (long)Math.Round(d),
                decimal m => (long)Math.Round(m),
                FileSize f => f.Bytes,
                string s => FileSize.Parse(s).Bytes,
                _ => throw new FormatException($"'{value}' is not a size; write it like 25MB, '25 MB', '800KB' or '1.5GB'."),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}

/// <summary>-Resolution is one of <see cref="ResolutionCompleter.Heights"/>: a ValidateSet's check without its text-sorted completion.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateResolutionAttribute : ValidateArgumentsAttribute
{
    protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
    {
        var value = (arguments is PSObject pso ? pso.BaseObject : arguments)?.ToString();
        if (value is null || !ResolutionCompleter.Heights.Contains(value, StringComparer.OrdinalIgnoreCase))
            throw new ValidationMetadataException($"'{value}' is not a resolution; use one of {string.Join(", ", ResolutionCompleter.Heights)}.");
    }
}
