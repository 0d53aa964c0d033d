// Send-NemoMessage's entry point; its scenarios live in BuildingBlockTests (the pipeline, -WhatIf) and tests/Unit/Agent.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class SendNemoMessageTests
{
    [Fact]
    public async Task The_agents_reply_comes_back_after_one_message()
    {
        await using var stage = await Stage.StartAsync();
        var clip = (await stage.ClipsAsync(1))[0];
        using var shell = new Shell();
        var reply = shell.One("Connect-Nemo -BaseUri $uri; Send-NemoVideo -LiteralPath $clip | Out-Null; Send-NemoMessage 'Extract the audio as MP3 at 128 kbps'",
            new Dictionary<string, object?> { ["uri"] = stage.BaseUri, ["clip"] = clip });
        Assert.False(string.IsNullOrWhiteSpace(reply.Properties["Summary"].Value?.ToString()));
        Assert.Equal(1, stage.Emulator.Store.AgentMessages);
    }
}
