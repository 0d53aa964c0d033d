using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo.Jobs;

/// <summary>
/// What a cloud job paid for and has not delivered yet, kept in the config folder (one owner-only file per source and
/// request, written atomically at each paid or long step), so that a run killed or stopped part way is picked up by
/// the next one without paying for the edit again. An entry is keyed by the source as it is on disk (full path, size,
/// last write), the request that shapes the output, the API and the account (the token's fingerprint, never the token).
/// </summary>
public sealed class PaidWorkJournal
{
    /// <summary>How long an entry is worth resuming: an anonymous token, and so its sessions, lasts a week.</summary>
    public static readonly TimeSpan DefaultMaxAge = TimeSpan.FromDays(7);

    public PaidWorkJournal(string configDirectory, TimeSpan? maxAge = null)
    {
        Folder = Path.Combine(configDirectory, "journal");
        MaxAge = maxAge ?? DefaultMaxAge;
    }

    public string Folder { get; }
    public TimeSpan MaxAge { get; }

    /// <summary>The entry for this source, request and account: the one a run before left (not expired), or a new one not yet written.</summary>
    public JournalEntry Open(MediaJobRequest request, FileInfo source, string accountFingerprint, Uri api)
    {
        var entry = new JournalEntry
        {
            Source = source.FullName, Length = source.Length, LastWriteUtc = source.LastWriteTimeUtc.Ticks,
            Request = request.GetType().Name + "|" + request.Instruction + "|" + Path.GetFullPath(request.OutputPath),
            OutputPath = Path.GetFullPath(request.OutputPath), Parameters = JobParameters.Of(request),
            Account = accountFingerprint, Api = api.ToString(), Created = DateTimeOffset.UtcNow,
        };
        entry.Key = KeyOf(entry);
        RemoveDeadWrites();
        var found = Read(PathOf(entry.Key));
        if (found is { SessionId: not null } && DateTimeOffset.UtcNow - found.Updated < MaxAge)
        {
            found.Parameters ??= entry.Parameters; // an entry written before requests were kept: the same key, so the same request
            return found;
        }
        return entry;
    }

    /// <summary>Writes the entry as it is now (atomically, owner-only). A journal that cannot be written never fails the
    /// job that paid: the work goes on, only a later run could not pick it up (false).</summary>
    public bool Save(JournalEntry entry)
    {
        entry.Updated = DateTimeOffset.UtcNow;
        try
        {
            PrivateFile.WriteAtomic(PathOf(entry.Key), JsonSerializer.Serialize(entry, JournalJson.Default.JournalEntry));
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { return false; }
    }

    /// <summary>Forgets the entry: its output is committed, or what it recorded is gone from the service.</summary>
    public void Remove(JournalEntry entry)
    {
        try { File.Delete(PathOf(entry.Key)); }
        catch (IOException) { } // another run removed it first, or holds it open for a moment
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>Every entry not yet delivered, newest first; expired ones are removed on the way.</summary>
    public IReadOnlyList<JournalEntry> List()
    {
        if (!Directory.Exists(Folder)) return Array.Empty<JournalEntry>();
        var entries = new List<JournalEntry>();
        foreach (var file in Directory.GetFiles(Folder, "*.json"))
        {
            if (Read(file) is not JournalEntry entry) continue;
            if (DateTimeOffset.UtcNow - entry.Updated >= MaxAge) { Remove(entry); continue; }
            entries.Add(entry);
        }
        return entries.OrderByDescending(e => e.Updated).ToList();
    }

    private string PathOf(string key) => Path.Combine(Folder, key + ".json");

    /// <summary>A write takes milliseconds: a temporary file of an entry older than ten minutes is a killed run's.</summary>
    private void RemoveDeadWrites()
    {
        if (!Directory.Exists(Folder)) return;
        foreach (var stale in Directory.EnumerateFiles(Folder, ".*.partial"))
        {
            try { if (DateTime.UtcNow - File.GetLastWriteTimeUtc(stale) > TimeSpan.FromMinutes(10)) File.Delete(stale); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }

    private static JournalEntry? Read(string path)
    {
        try { return File.Exists(path) ? JsonSerializer.Deserialize(File.ReadAllText(path), JournalJson.Default.JournalEntry) : null; }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException) { return null; } // unreadable: start afresh
    }

    private static string KeyOf(JournalEntry e)
    {
        using var sha = SHA256.Create();
        var bytes = sha.ComputeHash(Encoding.UTF8.GetBytes(string.Join("\n", e.Source, e.Length, e.LastWriteUtc, e.Request, e.Account, e.Api)));
        return string.Concat(bytes.Take(16).Select(b => b.ToString("x2")));
    }
}

/// <summary>One source's paid work: the session, its upload, whether the edit landed, the render.</summary>
public sealed class JournalEntry
{
    public string Key { get; set; } = "";
    public string Source { get; set; } = "";
    public long Length { get; set; }
    public long LastWriteUtc { get; set; }
    /// <summary>What shapes the output: the kind of job, the instruction, the output path.</summary>
    public string Request { get; set; } = "";
    public string OutputPath { get; set; } = "";
    /// <summary>The request as the cmdlet asked it (every parameter that shapes the output), so the work can be finished as first asked; null in entries written before it was kept.</summary>
    public JobParameters? Parameters { get; set; }
    /// <summary>The account's token fingerprint (never the token).</summary>
    public string Account { get; set; } = "";
    public string Api { get; set; } = "";
    public string? SessionId { get; set; }
    public List<JournalUpload> Uploads { get; set; } = new();
    /// <summary>The agent's edit landed on the timeline: paid for.</summary>
    public bool Edited { get; set; }
    public string? RenderId { get; set; }
    public DateTimeOffset Created { get; set; }
    public DateTimeOffset Updated { get; set; }

    /// <summary>How far it got, in words: edited, rendering.</summary>
    public string Stage => RenderId != null ? "Rendering" : Edited ? "Edited" : "Uploaded";

    internal IReadOnlyList<UploadedAsset> UploadedAssets() => Uploads.Select(u => new UploadedAsset
    {
        SessionId = SessionId ?? "", FileName = u.FileName, FileType = u.FileType, CdnUrl = u.CdnUrl is null ? null : new Uri(u.CdnUrl),
        Duration = u.DurationSeconds is double s ? TimeSpan.FromSeconds(s) : null, Width = u.Width, Height = u.Height, Fps = u.Fps, Hash = u.Hash,
    }).ToList();

    /// <summary>Nothing of it is usable any more (the service lost the session): the same source, starting afresh.</summary>
    internal void Restart()
    {
        SessionId = null;
        Uploads = new();
        Edited = false;
        RenderId = null;
        Created = DateTimeOffset.UtcNow;
    }

    /// <summary>The agent's edit landed on this session's timeline (paid for): no render of it yet.</summary>
    internal void RecordEdit(string sessionId, IEnumerable<UploadedAsset> uploads)
    {
        SessionId = sessionId;
        Edited = true;
        RenderId = null;
        Uploads = uploads.Select(u => new JournalUpload
        {
            FileName = u.FileName, FileType = u.FileType, CdnUrl = u.CdnUrl?.ToString(), DurationSeconds = u.Duration?.TotalSeconds,
            Width = u.Width, Height = u.Height, Fps = u.Fps, Hash = u.Hash,
        }).ToList();
    }
}

/// <summary>An uploaded file as the journal keeps it (its CDN address rewrites the draft's service paths at render).</summary>
public sealed class JournalUpload
{
    public string FileName { get; set; } = "";
    public string? FileType { get; set; }
    public string? CdnUrl { get; set; }
    public double? DurationSeconds { get; set; }
    public int? Width { get; set; }
    public int? Height { get; set; }
    public double? Fps { get; set; }
    public string? Hash { get; set; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
[System.Text.Json.Serialization.JsonSerializable(typeof(JournalEntry))]
internal sealed partial class JournalJson : System.Text.Json.Serialization.JsonSerializerContext
{
}
