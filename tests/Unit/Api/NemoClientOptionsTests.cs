using NemoVideo.Api;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Api;

/// <summary>The client's address: NEMO_API_URL, an explicit one, and plain http refused unless allowed.</summary>
public class NemoClientOptionsTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public void Refuses_plain_http_to_a_remote_host_unless_allowed()
    {
        var ex = Assert.Throws<NemoApiException>(() => new NemoApiClient(new NemoClientOptions { BaseUri = new Uri("http://api.example.com/") }, environment: _env.Environment));
        Assert.Contains("allow insecure http explicitly", ex.Message); // the PowerShell layer names -AllowInsecureHttp
        using var allowed = new NemoApiClient(new NemoClientOptions { BaseUri = new Uri("http://api.example.com/"), AllowInsecureHttp = true }, environment: _env.Environment);
        using var loopback = new NemoApiClient(new NemoClientOptions { BaseUri = new Uri("http://127.0.0.1:9/") }, environment: _env.Environment);
        using var localhost = new NemoApiClient(new NemoClientOptions { BaseUri = new Uri("http://localhost:9/") }, environment: _env.Environment);
    }

    [Fact]
    public void NEMO_API_URL_is_honoured_and_an_explicit_address_wins()
    {
        _env.Set("NEMO_API_URL", "https://mega-api-dev.nemovideo.ai");
        Assert.Equal("mega-api-dev.nemovideo.ai", NemoClientOptions.ResolveBaseUri(null, _env.Environment).Host);
        Assert.Equal("127.0.0.1", NemoClientOptions.ResolveBaseUri("http://127.0.0.1:5080", _env.Environment).Host);
        _env.Set("NEMO_API_URL", null);
        Assert.Equal(NemoClientOptions.ProductionBaseUri, NemoClientOptions.ResolveBaseUri(null, _env.Environment));
        Assert.Throws<NemoApiException>(() => NemoClientOptions.ResolveBaseUri("ftp://x", _env.Environment));
    }
}
