using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo.Bench;

/// <summary>
/// A second process for the token-cache tests: asks for the balance with the token chain and a given config
/// folder, and prints the token's fingerprint. Usage: tokenprobe &lt;api&gt; &lt;config dir&gt; [start-at-unix-ms]
/// </summary>
internal static class TokenProbe
{
    public static async Task<int> RunAsync(string[] args)
    {
        var env = new NemoEnvironment(args[2], _ => null);
        if (args.Length > 3 && long.TryParse(args[3], out var startAt))
        {
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(startAt) - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait); // both processes start their requests together
        }
        var options = new NemoClientOptions { BaseUri = new Uri(args[1]), SkillVersion = "probe" };
        using var client = new NemoApiClient(options, new TokenProvider(options.BaseUri, env), env);
        await client.GetCreditsAsync();
        Console.WriteLine(client.Tokens.Current!.Fingerprint);
        return 0;
    }
}
