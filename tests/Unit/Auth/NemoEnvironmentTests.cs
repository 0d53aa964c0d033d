using NemoVideo.Auth;

namespace NemoVideo.Tests.Auth;

public class NemoEnvironmentTests
{
    [Fact]
    public void NEMO_CONFIG_DIR_moves_the_config_folder_and_the_default_is_under_the_home_folder()
    {
        var moved = new NemoEnvironment(getVariable: n => n == "NEMO_CONFIG_DIR" ? "/srv/nemo/config" : null);
        Assert.Equal(Path.GetFullPath("/srv/nemo/config"), moved.ConfigDirectory);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".config", "nemovideo"), new NemoEnvironment(getVariable: _ => null).ConfigDirectory);
    }

    [Fact]
    public void A_blank_NEMO_CONFIG_DIR_is_not_set_and_a_padded_one_is_trimmed()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".config", "nemovideo"), NemoEnvironment.DefaultConfigDirectory(_ => "   "));
        Assert.Equal(Path.GetFullPath("/srv/nemo"), NemoEnvironment.DefaultConfigDirectory(n => n == "NEMO_CONFIG_DIR" ? "  /srv/nemo \t" : null));
    }

    [Fact]
    public void An_explicit_folder_variables_and_clock_are_the_ones_given()
    {
        var at = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var env = new NemoEnvironment("/given/folder", n => n == "NEMO_TOKEN" ? "tok" : null, () => at);
        Assert.Equal("/given/folder", env.ConfigDirectory); // not NEMO_CONFIG_DIR, not the home folder
        Assert.Equal("tok", env.GetVariable("NEMO_TOKEN"));
        Assert.Null(env.GetVariable("HOME"));
        Assert.Equal(at, env.Now());
    }
}
