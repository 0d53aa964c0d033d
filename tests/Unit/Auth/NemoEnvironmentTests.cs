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
}
