// Invoke-NemoExport's entry point; its scenarios live in BuildingBlockTests, UserExperienceTests and tests/Pester/BuildingBlocks.Tests.ps1.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class InvokeNemoExportTests
{
    [Fact]
    public async Task WhatIf_renders_nothing()
    {
        await using var stage = await Stage.StartAsync();
        using var shell = new Shell();
        shell.Run("Connect-Nemo -BaseUri $uri; Invoke-NemoExport -OutFile ([IO.Path]::Combine($dir, 'x.mp4')) -WhatIf",
            new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["dir"] = stage.Folder });
        Assert.Empty(shell.Errors);
        Assert.Equal(0, stage.Requests("/api/render/"));
        Assert.Empty(stage.Files());
    }
}
