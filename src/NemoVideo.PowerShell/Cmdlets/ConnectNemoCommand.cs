using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using NemoVideo.Auth;

namespace NemoVideo.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Connects to NemoVideo: finds a token and starts a session that the other cmdlets share.</para>
/// <para type="description">The token comes from -Token, else NEMO_TOKEN, else the token cache, else a free anonymous token. It never prompts.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "Nemo")]
[OutputType(typeof(NemoConnection))]
public sealed class ConnectNemoCommand : NemoCmdlet
{
    /// <summary>A token, as a SecureString or a plain string. Without it: NEMO_TOKEN, the cache, then an anonymous token.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNull]
    public object? Token { get; set; }

    /// <summary>The API address; NEMO_API_URL or production when left out.</summary>
    [Parameter]
    [ValidateNotNull]
    public Uri? BaseUri { get; set; }

    /// <summary>The session's language.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Language { get; set; } = "en";

    /// <summary>The session's task name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string TaskName { get; set; } = "project";

    /// <summary>Allow plain http:// to a host that is not this machine.</summary>
    [Parameter]
    public SwitchParameter AllowInsecureHttp { get; set; }

    /// <summary>The engine the job cmdlets use by default: Cloud, or Local (ffmpeg on this machine; then nothing is sent and no token is needed).</summary>
    [Parameter]
    public Jobs.NemoEngine Engine { get; set; } = Jobs.NemoEngine.Cloud;

    /// <summary>Write the connection to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        NemoToken? token = Token switch
        {
            null => null,
            PSObject { BaseObject: var inner } => FromObject(inner),
            var other => FromObject(other),
        };
        var connection = CreateConnection(new ConnectionSettings
        {
            BaseUri = BaseUri?.OriginalString, Token = token, AllowInsecureHttp = AllowInsecureHttp.IsPresent, SkillVersion = ModuleState.Version,
        });
        connection.DefaultEngine = Engine;
        try
        {
            // With the local engine nothing goes to the service until a building-block cmdlet needs it.
            if (Engine == Jobs.NemoEngine.Cloud) RunOrThrow((_, ct) => connection.ConnectAsync(createSession: true, TaskName, Language, ct), BaseUri);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        ModuleState.Set(connection);
        WriteVerbose($"Connected to {connection.BaseUri} as {connection.UserId} ({connection.TokenSource} token {connection.TokenFingerprint}); session {connection.SessionId}.");
        if (PassThru) WriteObject(connection);
    }

    private static NemoToken? FromObject(object value) => value switch
    {
        SecureString s when Reveal(s) is var text && !string.IsNullOrWhiteSpace(text) => new NemoToken(text),
        string s when !string.IsNullOrWhiteSpace(s) => new NemoToken(s),
        SecureString or string => throw new PSArgumentException("The token given with -Token is blank; give the token itself, or leave -Token out to use NEMO_TOKEN, the cache or a free anonymous token.", nameof(Token)),
        _ => throw new PSArgumentException("-Token takes a SecureString or a string.", nameof(Token)),
    };

    private static string Reveal(SecureString secure)
    {
        var ptr = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try { return Marshal.PtrToStringUni(ptr) ?? ""; }
        finally { Marshal.ZeroFreeGlobalAllocUnicode(ptr); }
    }
}
