using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace NemoVideo.Emulator;

internal sealed class Account
{
    public required string Token { get; init; }
    public required string UserId { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset IssuedAt { get; } = DateTimeOffset.UtcNow;
    public bool Anonymous { get; init; }
    public string? ClientId { get; init; }
    private readonly object _gate = new();
    public decimal Available { get; private set; }
    public decimal Frozen { get; private set; }
    public decimal Granted { get; private set; }
    public decimal Consumed { get; private set; }

    public void Grant(decimal credits) { lock (_gate) { Available += credits; Granted += credits; } }

    /// <summary>Freezes the cost of an edit; false when there is not enough.</summary>
    public bool TryFreeze(decimal cost)
    {
        lock (_gate)
        {
            if (Available < cost) return false;
            Available -= cost; Frozen += cost;
            return true;
        }
    }

    public void Settle(decimal cost, bool consumed)
    {
        lock (_gate)
        {
            Frozen -= cost;
            if (consumed) Consumed += cost; else Available += cost;
        }
    }

    public void SetAvailable(decimal credits) { lock (_gate) Available = credits; }
}

internal sealed class Asset
{
    public required string Id { get; init; }
    public required string FileName { get; init; }
    public required string FileType { get; init; }
    public required string LocalPath { get; init; }
    public required string CdnPath { get; init; }
    public double? Duration { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public double? Fps { get; init; }
    public int AudioStreams { get; init; }
    /// <summary>A picture to show (a cover image does not count): false for an audio upload.</summary>
    public bool HasVideo { get; init; } = true;
    public IReadOnlyList<string?> AudioLanguages { get; init; } = Array.Empty<string?>();
    public required string Hash { get; init; }
}

internal sealed class Session
{
    public required string SessionId { get; init; }
    public required string TaskId { get; init; }
    public required string UserId { get; init; }
    public readonly object Gate = new();
    public List<Asset> Assets { get; } = new();
    public JsonObject Draft { get; set; } = new() { ["t"] = new JsonArray(), ["d"] = 0, ["m"] = new JsonObject { ["title"] = "project" } };
}

internal sealed class Render
{
    public required string Id { get; init; }
    public required string SessionId { get; init; }
    public required string UserId { get; init; }
    public required string Format { get; init; }
    public long CreatedAt { get; init; } = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    public volatile string Status = "pending";
    public double Progress = 5;
    public long? CompletedAt;
    public string? Error;
    public string? OutputPath;
    public string? OutputName;
    /// <summary>The source's hash and the render's arguments: a later identical render copies this one's file.</summary>
    public string? CacheKey;
    public readonly CancellationTokenSource Cancel = new();
}

/// <summary>Everything the emulator remembers, plus counters tests read.</summary>
public sealed class EmulatorStore
{
    internal ConcurrentDictionary<string, Account> Tokens { get; } = new();
    internal ConcurrentDictionary<string, Account> ByClientId { get; } = new();
    internal ConcurrentDictionary<string, Session> Sessions { get; } = new();
    internal ConcurrentDictionary<string, Asset> Assets { get; } = new();
    internal ConcurrentDictionary<string, Render> Renders { get; } = new();
    internal ConcurrentQueue<DateTimeOffset> AnonymousIssued { get; } = new();
    internal ConcurrentQueue<RequestRecord> Requests { get; } = new();
    /// <summary>Probes by content hash.</summary>
    internal ConcurrentDictionary<string, MediaInfo> Probes { get; } = new();

    private long _sessionCounter = 5529798706024415232;
    private int _anonymousTokens, _cdnWithAuthorization, _renderCancels, _agentMessages, _sessionsLost;

    /// <summary>Anonymous tokens handed out.</summary>
    public int AnonymousTokensIssued => Volatile.Read(ref _anonymousTokens);
    /// <summary>Requests to the CDN paths that carried an Authorization header (must stay 0).</summary>
    public int CdnRequestsWithAuthorization => Volatile.Read(ref _cdnWithAuthorization);
    /// <summary>Renders cancelled through the API.</summary>
    public int RenderCancels => Volatile.Read(ref _renderCancels);
    /// <summary>Messages the agent received.</summary>
    public int AgentMessages => Volatile.Read(ref _agentMessages);
    public int SessionCount => Sessions.Count;
    public int RenderCount => Renders.Count;
    /// <summary>Every request seen, in order.</summary>
    public IReadOnlyList<RequestRecord> RequestLog => Requests.ToArray();
    /// <summary>Every file uploaded: its name, type and size as stored (what a client sent).</summary>
    public IReadOnlyList<UploadRecord> Uploads => Assets.Values.Select(a => new UploadRecord(a.FileName, a.FileType, File.Exists(a.LocalPath) ? new FileInfo(a.LocalPath).Length : 0, a.Duration)).ToArray();

    internal void CountAnonymous() => Interlocked.Increment(ref _anonymousTokens);
    internal void CountCdnAuthorization() => Interlocked.Increment(ref _cdnWithAuthorization);
    internal void CountRenderCancel() => Interlocked.Increment(ref _renderCancels);
    internal void CountAgentMessage() => Interlocked.Increment(ref _agentMessages);
    internal string NextSessionId() => Interlocked.Increment(ref _sessionCounter).ToString();

    /// <summary>Makes every token expire now (the next call with one gets 1001).</summary>
    public void ExpireAllTokens()
    {
        foreach (var a in Tokens.Values) a.ExpiresAt = DateTimeOffset.UtcNow.AddSeconds(-1);
    }

    /// <summary>Sets the credits of every account (to test 2001).</summary>
    public void SetCredits(decimal available)
    {
        foreach (var a in Tokens.Values) a.SetAvailable(available);
    }

    /// <summary>Adds a registered (non-anonymous) account with a token of the test's choosing.</summary>
    /// <param name="token">The token: it has every scope, render included.</param>
    public void AddAccount(string token, string userId, decimal credits)
    {
        var a = new Account { Token = token, UserId = userId, ExpiresAt = DateTimeOffset.UtcNow.AddDays(30) };
        a.Grant(credits);
        Tokens[token] = a;
    }

    /// <summary>Sessions lost on purpose so far (<see cref="EmulatorOptions.LoseSessionsOnAgent"/>).</summary>
    public int SessionsLost => Volatile.Read(ref _sessionsLost);

    /// <summary>Drops the session if fewer than <paramref name="budget"/> have been lost: true when it was.</summary>
    internal bool LoseSession(string sessionId, int budget)
    {
        if (Interlocked.Increment(ref _sessionsLost) > budget) { Interlocked.Decrement(ref _sessionsLost); return false; }
        Sessions.TryRemove(sessionId, out _);
        return true;
    }

    /// <summary>Forgets a session, as if it had expired (the next call gets 1002).</summary>
    public bool DropSession(string sessionId) => Sessions.TryRemove(sessionId, out _);
}

/// <summary>One request as the emulator saw it.</summary>
public sealed record UploadRecord(string FileName, string FileType, long Bytes, double? Duration);

public sealed record RequestRecord(string Method, string Path, int Status, bool HadAuthorization, bool HadSkillHeaders, string? UserAgent);
