using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // the process environment (NEMO_*) is shared by every runspace

namespace NemoVideo.PowerShell.Tests;

[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildInfoAttribute(string repositoryRoot, string configuration) : Attribute
{
    public string RepositoryRoot { get; } = repositoryRoot;
    public string Configuration { get; } = configuration;
}

/// <summary>
/// The published module folder, made once per run with `dotnet publish` exactly as build.ps1 and users make it
/// (manifest, assemblies, format file, MAML help), and a private config folder for every runspace of the run.
/// </summary>
public static class ModuleFixture
{
    private static readonly Lazy<string> Published = new(Publish, LazyThreadSafetyMode.ExecutionAndPublication);

    static ModuleFixture()
    {
        ConfigDirectory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "nemo-ps-tests-" + Environment.ProcessId)).FullName;
        Environment.SetEnvironmentVariable("NEMO_CONFIG_DIR", ConfigDirectory);
        Environment.SetEnvironmentVariable("NEMO_TOKEN", null);
        Environment.SetEnvironmentVariable("NEMO_API_URL", null);
    }

    public static string ConfigDirectory { get; }

    /// <summary>out/…/NemoVideo/NemoVideo.psd1 of this run.</summary>
    public static string Manifest => Path.Combine(Published.Value, "NemoVideo.psd1");

    private static string Publish()
    {
        var info = (BuildInfoAttribute)Attribute.GetCustomAttribute(typeof(ModuleFixture).Assembly, typeof(BuildInfoAttribute))!;
        var output = Path.Combine(Path.GetTempPath(), "nemo-ps-module-" + Environment.ProcessId, "NemoVideo");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = info.RepositoryRoot };
        foreach (var a in new[] { "publish", Path.Combine(info.RepositoryRoot, "src", "NemoVideo.PowerShell"), "-c", info.Configuration, "-o", output, "--nologo", "-v", "quiet" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the module failed ({p.ExitCode}): {stdout.Result}\n{stderr}");
        return output;
    }

    /// <summary>A fresh runspace (optionally with a host that answers prompts) with the module imported.</summary>
    public static Runspace OpenRunspace(PSHost? host = null)
    {
        var iss = InitialSessionState.CreateDefault2();
        var runspace = host is null ? RunspaceFactory.CreateRunspace(iss) : RunspaceFactory.CreateRunspace(host, iss);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddCommand("Import-Module").AddParameter("Name", Manifest).AddParameter("ErrorAction", "Stop").Invoke();
        return runspace;
    }
}

/// <summary>One pipeline in a runspace, with every stream kept for the assertions.</summary>
public sealed class Shell : IDisposable
{
    private readonly bool _ownsRunspace;

    public Shell(Runspace? runspace = null, PSHost? host = null)
    {
        _ownsRunspace = runspace is null;
        Runspace = runspace ?? ModuleFixture.OpenRunspace(host);
    }

    public Runspace Runspace { get; }
    public List<ErrorRecord> Errors { get; } = new();
    public List<WarningRecord> Warnings { get; } = new();
    public List<VerboseRecord> Verbose { get; } = new();
    public List<ProgressRecord> Progress { get; } = new();
    public List<InformationRecord> Information { get; } = new();

    /// <summary>Runs a script with <paramref name="variables"/> set; returns its output and keeps its streams.</summary>
    public List<PSObject> Run(string script, IDictionary<string, object?>? variables = null) => Invoke(Create(script, variables));

    /// <summary>Runs a script that must write exactly one object; the errors it wrote are in the failure message.</summary>
    public PSObject One(string script, IDictionary<string, object?>? variables = null)
    {
        var before = Errors.Count;
        var output = Run(script, variables);
        if (output.Count != 1)
            throw new Xunit.Sdk.XunitException($"expected one object from `{script}`, got {output.Count}; errors: " +
                string.Join(" | ", Errors.Skip(before).Select(e => e.FullyQualifiedErrorId + ": " + e)));
        return output[0];
    }

    public System.Management.Automation.PowerShell Create(string script, IDictionary<string, object?>? variables = null)
    {
        var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Runspace;
        foreach (var (name, value) in variables ?? new Dictionary<string, object?>())
            Runspace.SessionStateProxy.SetVariable(name, value);
        ps.AddScript(script);
        return ps;
    }

    public List<PSObject> Invoke(System.Management.Automation.PowerShell ps)
    {
        try
        {
            return ps.Invoke().ToList();
        }
        finally
        {
            Collect(ps);
            ps.Dispose();
        }
    }

    public void Collect(System.Management.Automation.PowerShell ps)
    {
        Errors.AddRange(ps.Streams.Error);
        Warnings.AddRange(ps.Streams.Warning);
        Verbose.AddRange(ps.Streams.Verbose);
        Progress.AddRange(ps.Streams.Progress);
        Information.AddRange(ps.Streams.Information);
    }

    /// <summary>Everything the user could see, as text: objects, errors (with their details), warnings, verbose lines.</summary>
    public string Everything(IEnumerable<PSObject> output) => string.Join("\n",
        output.Select(o => string.Join(";", o.Properties.Select(p => { try { return p.Name + "=" + p.Value; } catch (Exception) { return p.Name; } })))
            .Concat(Errors.Select(e => e + " " + e.ErrorDetails?.Message + " " + e.ErrorDetails?.RecommendedAction + " " + e.Exception))
            .Concat(Warnings.Select(w => w.Message)).Concat(Verbose.Select(v => v.Message)).Concat(Information.Select(i => i.MessageData?.ToString() ?? "")));

    public void Dispose()
    {
        if (_ownsRunspace) Runspace.Dispose();
    }
}
