using NemoVideo.Auth;
using NemoVideo.Tests.Infrastructure;

namespace NemoVideo.Tests.Auth;

public class ClientIdStoreTests : IDisposable
{
    private readonly TestEnvironment _env = new();
    public void Dispose() => _env.Dispose();

    [Fact]
    public async Task The_client_id_is_made_once_and_reused()
    {
        var a = await ClientIdStore.GetOrCreateAsync(_env.ConfigDirectory);
        var b = await ClientIdStore.GetOrCreateAsync(_env.ConfigDirectory);
        Assert.Equal(a, b);
        File.WriteAllText(Path.Combine(_env.ConfigDirectory, ClientIdStore.FileName), "  2f1d7f8e-0000-4000-8000-123456789abc \n");
        Assert.Equal("2f1d7f8e-0000-4000-8000-123456789abc", await ClientIdStore.GetOrCreateAsync(_env.ConfigDirectory));
    }
}
