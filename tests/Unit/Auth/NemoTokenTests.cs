using NemoVideo.Auth;

namespace NemoVideo.Tests.Auth;

public class NemoTokenTests
{
    [Fact]
    public void The_secret_never_shows_in_ToString()
    {
        var token = new NemoToken("nmv_usr_TOPSECRET", TokenSource.Anonymous, "anon_1");
        Assert.DoesNotContain("TOPSECRET", token.ToString());
        Assert.StartsWith("sha256:", token.Fingerprint);
        Assert.Null(typeof(NemoToken).GetProperty("Value", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance));
    }
}
