// Get-NemoCredit's entry point; the balance's two shapes are in tests/Unit/Api and tests/Unit/Contract.
namespace NemoVideo.PowerShell.Tests.Cmdlets;

public class GetNemoCreditTests
{
    [Fact]
    public async Task The_balance_of_a_new_anonymous_token()
    {
        await using var stage = await Stage.StartAsync(o => o.AnonymousCredits = 1234);
        using var shell = new Shell();
        var credit = shell.One("Connect-Nemo -BaseUri $uri; Get-NemoCredit", new Dictionary<string, object?> { ["uri"] = stage.BaseUri });
        Assert.Equal(1234m, Convert.ToDecimal(credit.Properties["Available"].Value));
    }
}
