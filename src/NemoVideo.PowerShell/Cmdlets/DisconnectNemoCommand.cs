using System.Management.Automation;
using NemoVideo.Api;
using NemoVideo.Auth;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Forgets the current connection and, with -ClearCache and a confirmation, the cached token.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "Nemo", SupportsShouldProcess = true)]
[OutputType(typeof(void))]
public sealed class DisconnectNemoCommand : NemoCmdlet
{
    /// <summary>
    /// Also delete the cached token for this API, connected or not. The cache holds the free anonymous token, and the
    /// service gives one per client a week: it asks first, and keeps the token unless confirmed or -Force.
    /// </summary>
    [Parameter]
    public SwitchParameter ClearCache { get; set; }

    /// <summary>With -ClearCache: delete the cached anonymous token without asking, although the service will not give another for a week.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        var connection = ModuleState.Current;
        if (ClearCache) ClearCachedToken(connection);
        if (connection == null)
        {
            if (!ClearCache) WriteVerbose("Not connected.");
            return;
        }
        if (!ShouldProcess(connection.BaseUri.ToString(), "Disconnect")) return;
        connection.Client.Tokens.Forget(clearCache: false);
        ModuleState.Clear();
    }

    /// <summary>The cache of the connection's API (or, not connected, of NEMO_API_URL's), emptied only once the loss is accepted.</summary>
    private void ClearCachedToken(NemoConnection? connection)
    {
        TokenCache cache;
        Uri api;
        if (connection != null)
        {
            cache = connection.Client.Tokens.Cache;
            api = connection.BaseUri;
        }
        else
        {
            var environment = NemoEnvironment.Default;
            try
            {
                api = NemoClientOptions.ResolveBaseUri(null, environment);
            }
            catch (NemoApiException ex)
            {
                ThrowTerminatingError(ToErrorRecord(ex, null));
                return;
            }
            cache = new TokenCache(environment.ConfigDirectory);
        }
        if (cache.TryGet(api) is not NemoToken cached)
        {
            WriteVerbose($"No token is cached for {api} in '{cache.FilePath}'.");
            return;
        }
        var what = $"the cached {(cached.UserId is null ? "" : cached.UserId + " ")}token {cached.Fingerprint} for {api}";
        if (!ShouldProcess(what, "Delete")) return;
        if (!Force)
        {
            var question = $"The cache holds {what}. The service gives one free anonymous token per client a week: once this one is deleted, "
                + "the next cloud command gets no new token until then (HTTP 429), unless NEMO_TOKEN or Connect-Nemo -Token gives one of your own. Delete it anyway?";
            bool yes;
            try
            {
                yes = ShouldContinue(question, "Delete a token the service will not replace");
            }
            catch (Exception ex) when (ex is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException or NullReferenceException)
            {
                yes = false; // no one to ask (a non-interactive host): keep it
            }
            if (!yes)
            {
                WriteWarning($"Kept {what}: the service gives one free anonymous token per client a week. Use -Force to delete it anyway.");
                return;
            }
        }
        cache.Remove(api);
        connection?.Client.Tokens.Forget(clearCache: false);
        WriteVerbose($"Deleted {what}.");
    }
}
