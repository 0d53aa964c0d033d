using System.Diagnostics;
using System.Text;
using NemoVideo.Auth;

namespace NemoVideo.Local;

/// <summary>
/// Where ffmpeg and ffprobe are — NEMO_FFMPEG / NEMO_FFPROBE, else PATH — and how to run them: arguments
/// passed one by one (never through a shell), stderr kept for errors, the process tree killed on cancel.
/// </summary>
public sealed class FfmpegTools
{
    private FfmpegTools(string ffmpeg, string ffprobe)
    {
        Ffmpeg = ffmpeg;
        Ffprobe = ffprobe;
    }

    public string Ffmpeg { get; }
    public string Ffprobe { get; }

    /// <summary>Finds both programs, or throws an error that says how to install them.</summary>
    public static FfmpegTools Locate(NemoEnvironment? environment = null)
    {
        var env = environment ?? NemoEnvironment.Default;
        return new FfmpegTools(Find("ffmpeg", env.GetVariable("NEMO_FFMPEG"), env), Find("ffprobe", env.GetVariable("NEMO_FFPROBE"), env));
    }

    /// <summary>Both programs, or null when either is missing (for finishing a cloud result when ffmpeg happens to be there).</summary>
    public static FfmpegTools? TryLocate(NemoEnvironment? environment = null)
    {
        try { return Locate(environment); }
        catch (LocalEngineException) { return null; }
    }

    private static string Find(string tool, string? configured, NemoEnvironment env)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? Path.GetFullPath(configured) : throw LocalEngineException.Missing(tool, configured!);
        var windows = Path.DirectorySeparatorChar == '\\';
        var names = windows ? new[] { tool + ".exe", tool } : new[] { tool };
        foreach (var dir in (env.GetVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Trim().Length == 0) continue;
            foreach (var name in names)
            {
                string candidate;
                try { candidate = Path.Combine(dir.Trim().Trim('"'), name); }
                catch (ArgumentException) { continue; }
                if (File.Exists(candidate)) return candidate;
            }
        }
        throw LocalEngineException.Missing(tool, tool + " on PATH");
    }

    /// <summary>What every ffmpeg run starts with: quiet, no questions, progress on standard output.</summary>
    public static readonly IReadOnlyList<string> CommonArgs = new[] { "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats" };

    /// <summary>Runs a program to the end; on cancel kills it (and its children) and throws.</summary>
    internal static async Task<ToolRun> RunAsync(string exe, IReadOnlyList<string> args, Action<string>? onStdoutLine, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe, Quote(args))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8, StandardErrorEncoding = Encoding.UTF8,
        };
        using var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var stdout = new StringBuilder();
        var stderr = new LinkedList<string>();
        var exited = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stdout) stdout.AppendLine(e.Data);
            onStdoutLine?.Invoke(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            lock (stderr) { stderr.AddLast(e.Data); if (stderr.Count > 40) stderr.RemoveFirst(); }
        };
        process.Exited += (_, _) => exited.TrySetResult(true);
        process.Start();
        process.StandardInput.Close(); // ffmpeg must never wait for a keypress
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (ct.Register(() => Kill(process)))
        {
            await exited.Task.ConfigureAwait(false);
        }
        process.WaitForExit(); // the output events are drained once this returns
        ct.ThrowIfCancellationRequested();
        string err;
        lock (stderr) err = string.Join(Environment.NewLine, stderr);
        return new ToolRun(process.ExitCode, stdout.ToString(), err);
    }

    /// <summary>
    /// Runs <paramref name="producer"/>, whose standard output is a media stream, into <paramref name="consumer"/>'s standard
    /// input, both at once (on two cores, measuring what is being encoded costs no extra time). The producer reports
    /// -progress on stderr (stdout carries the bytes): those lines go to <paramref name="onProgressLine"/>, the rest
    /// are kept for errors. On cancel both are killed.
    /// </summary>
    internal static async Task<(ToolRun Producer, ToolRun Consumer)> RunPipedAsync(string exe, IReadOnlyList<string> producer, IReadOnlyList<string> consumer,
        Action<string>? onProgressLine, CancellationToken ct)
    {
        ProcessStartInfo Info(IReadOnlyList<string> args) => new(exe, Quote(args))
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, CreateNoWindow = true, StandardErrorEncoding = Encoding.UTF8,
        };
        using var sink = new Process { StartInfo = Info(consumer) };
        using var source = new Process { StartInfo = Info(producer) };
        var sinkErrors = new LinkedList<string>();
        var sourceErrors = new LinkedList<string>();
        void Keep(LinkedList<string> list, string line) { lock (list) { list.AddLast(line); if (list.Count > 40) list.RemoveFirst(); } }
        sink.ErrorDataReceived += (_, e) => { if (e.Data != null) Keep(sinkErrors, e.Data); };
        source.ErrorDataReceived += (_, e) =>
        {
            if (e.Data == null) return;
            if (ProgressLine(e.Data)) onProgressLine?.Invoke(e.Data);
            else Keep(sourceErrors, e.Data);
        };
        sink.Start();
        sink.BeginErrorReadLine();
        var sinkOut = sink.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
        try
        {
            source.Start();
        }
        catch
        {
            Kill(sink);
            throw;
        }
        source.StandardInput.Close();
        source.BeginErrorReadLine();
        using (ct.Register(() => { Kill(source); Kill(sink); }))
        {
            try
            {
                await source.StandardOutput.BaseStream.CopyToAsync(sink.StandardInput.BaseStream, 1 << 16).ConfigureAwait(false);
            }
            catch (IOException)
            {
                // The consumer stopped reading (it failed, or was killed; its exit code says which): the producer's output
                // is drained so it can finish instead of blocking on a full pipe.
                await source.StandardOutput.BaseStream.CopyToAsync(Stream.Null).ConfigureAwait(false);
            }
            try { sink.StandardInput.Close(); } catch (IOException) { }
            await Task.Run(() => { source.WaitForExit(); sink.WaitForExit(); }).ConfigureAwait(false);
            await sinkOut.ConfigureAwait(false);
        }
        ct.ThrowIfCancellationRequested();
        string Tail(LinkedList<string> list) { lock (list) return string.Join(Environment.NewLine, list); }
        return (new ToolRun(source.ExitCode, "", Tail(sourceErrors)), new ToolRun(sink.ExitCode, "", Tail(sinkErrors)));
    }

    private static bool ProgressLine(string line)
    {
        var eq = line.IndexOf('=');
        if (eq <= 0) return false;
        for (var i = 0; i < eq; i++)
            if (!(char.IsLetterOrDigit(line[i]) || line[i] == '_')) return false;
        return true;
    }

    private static void Kill(Process process)
    {
        try
        {
            if (process.HasExited) return;
            // netstandard2.0 has no Kill(entireProcessTree); ffmpeg starts no children of its own.
            process.Kill();
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Command-line quoting that round-trips through both Windows' and .NET's argument parsing.</summary>
    internal static string Quote(IEnumerable<string> args) => string.Join(" ", args.Select(QuoteOne));

    private static string QuoteOne(string arg)
    {
        if (arg.Length > 0 && arg.All(c => !char.IsWhiteSpace(c) && c != '"')) return arg;
        var sb = new StringBuilder("\"");
        var backslashes = 0;
        foreach (var c in arg)
        {
            if (c == '\\') { backslashes++; continue; }
            if (c == '"') { sb.Append('\\', backslashes * 2 + 1).Append('"'); backslashes = 0; continue; }
            sb.Append('\\', backslashes).Append(c);
            backslashes = 0;
        }
        sb.Append('\\', backslashes * 2).Append('"');
        return sb.ToString();
    }
}

internal readonly struct ToolRun
{
    public ToolRun(int exitCode, string stdout, string stderr) { ExitCode = exitCode; Stdout = stdout; Stderr = stderr; }
    public int ExitCode { get; }
    public string Stdout { get; }
    public string Stderr { get; }
}
