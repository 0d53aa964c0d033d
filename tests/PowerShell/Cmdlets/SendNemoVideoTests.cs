// Send-NemoVideo's entry point; the pipeline is in BuildingBlockTests and tests/Pester/BuildingBlocks.Tests.ps1, uploads in tests/Unit/Api/NemoApiClientTests.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class SendNemoVideoTests
{
    [Fact]
    public async Task A_missing_file_is_one_error_and_the_rest_upload()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        var output = shell.Run("Connect-Nemo -BaseUri $uri; Send-NemoVideo -LiteralPath ([IO.Path]::Combine($dir, 'gone.mkv')), $clip",
            new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["clip"] = clip, ["dir"] = stage.Folder });
        Assert.Single(output);
        Assert.StartsWith("Nemo.PathNotFound,", Assert.Single(shell.Errors).FullyQualifiedErrorId);
        Assert.Equal(1, stage.Requests("/api/upload-video/"));
    }
}
