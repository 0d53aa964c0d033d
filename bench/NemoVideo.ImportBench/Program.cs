using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// dotnet run -c Release --project bench/NemoVideo.ImportBench [-- --module out/NemoVideo] [--out bench/RESULTS.import.md]
// Cold: a fresh process opens a runspace, then Import-Module is timed (what a new pwsh session pays). Warm: more
// runspaces in a process that has imported once (ForEach-Object -Parallel, thread jobs, runspace pools).
const double TargetMs = 60;
string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

if (args.Length > 1 && args[0] == "probe")
{
    using var runspace = OpenRunspace();
    // The engine's own first Import-Module (JIT of its module loading) is paid by any first module; pay it with an empty one.
    var empty = Path.Combine(Path.GetTempPath(), "nemo-import-warmup.psm1");
    File.WriteAllText(empty, "");
    ImportMs(runspace, empty);
    Console.WriteLine(ImportMs(runspace, args[1]).ToString("0.00", CultureInfo.InvariantCulture));
    return 0;
}

var root = FindRoot();
var module = Path.GetFullPath(Arg("--module") ?? Path.Combine(root, "out", "NemoVideo"));
var manifest = Path.Combine(module, "NemoVideo.psd1");
if (!File.Exists(manifest))
{
    Console.WriteLine($"publishing the module to {module}");
    var publish = Process.Start(new ProcessStartInfo("dotnet", $"publish \"{Path.Combine(root, "src", "NemoVideo.PowerShell")}\" -c Release -o \"{module}\" --nologo -v quiet"))!;
    publish.WaitForExit();
    if (publish.ExitCode != 0) return publish.ExitCode;
}
var output = Arg("--out") ?? Path.Combine(root, "bench", "RESULTS.import.md");

var cold = new List<double>();
for (var i = 0; i < 9; i++)
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    foreach (var a in new[] { typeof(Program).Assembly.Location, "probe", manifest }) psi.ArgumentList.Add(a);
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) != "dotnet") psi.ArgumentList.RemoveAt(0); // an apphost runs itself
    using var p = Process.Start(psi)!;
    var line = p.StandardOutput.ReadToEnd().Trim().Split('\n').Last();
    p.WaitForExit();
    if (p.ExitCode != 0 || !double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) throw new InvalidOperationException("probe failed: " + line);
    cold.Add(ms);
}

// pwsh itself, where it is installed: a new session per run, as a person opening a console.
var pwsh = new List<double>();
for (var i = 0; i < 5; i++)
{
    try
    {
        var psi = new ProcessStartInfo("pwsh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-NoProfile", "-NonInteractive", "-Command", $"(Measure-Command {{ Import-Module '{manifest}' }}).TotalMilliseconds" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        if (double.TryParse(line, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) pwsh.Add(ms);
    }
    catch (System.ComponentModel.Win32Exception) { break; } // no pwsh here
}

var warm = new List<double>();
using (var first = OpenRunspace()) ImportMs(first, manifest);
for (var i = 0; i < 20; i++)
{
    using var runspace = OpenRunspace();
    warm.Add(ImportMs(runspace, manifest));
}

static double Median(List<double> xs) { var s = xs.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
string F(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture);
var text = $"""
    # Module import

    `dotnet run -c Release --project bench/NemoVideo.ImportBench` on {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription},
    PowerShell {typeof(PSObject).Assembly.GetName().Version} (System.Management.Automation hosted in-process), {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.

    | Import-Module NemoVideo | median | min | max | runs | target |
    | --- | --- | --- | --- | --- | --- |
    | cold: a fresh process, its first runspace (after an empty module) | {F(Median(cold))} ms | {F(cold.Min())} ms | {F(cold.Max())} ms | {cold.Count} | under {TargetMs} ms: {(Median(cold) < TargetMs ? "met" : "NOT met")} |
    | pwsh: a new session, Measure-Command | {(pwsh.Count == 0 ? "no pwsh" : F(Median(pwsh)) + " ms")} | {(pwsh.Count == 0 ? "" : F(pwsh.Min()) + " ms")} | {(pwsh.Count == 0 ? "" : F(pwsh.Max()) + " ms")} | {pwsh.Count} | under {TargetMs} ms: {(pwsh.Count == 0 ? "n/a" : Median(pwsh) < TargetMs ? "met" : "NOT met")} |
    | warm: another runspace in a process that imported it once | {F(Median(warm))} ms | {F(warm.Min())} ms | {F(warm.Max())} ms | {warm.Count} | |

    Only the import is timed, not opening the runspace. The cold figure includes loading the module's assemblies
    (NemoVideo.PowerShell, NemoVideo.Core, Polly) and reading the manifest, format file and help, but not the engine's
    own first-import cost (several hundred ms when S.M.A is hosted without pwsh's startup), which an empty module pays first.

    """;
File.WriteAllText(output, text);
Console.Write(text);
return Median(cold) < TargetMs ? 0 : 1;

static Runspace OpenRunspace()
{
    var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
    runspace.Open();
    return runspace;
}

static double ImportMs(Runspace runspace, string manifest)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    ps.AddCommand("Import-Module").AddParameter("Name", manifest).AddParameter("ErrorAction", "Stop");
    var watch = Stopwatch.StartNew();
    ps.Invoke();
    return watch.Elapsed.TotalMilliseconds;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "NemoVideo.sln"))) return dir.FullName;
    return Directory.GetCurrentDirectory();
}
