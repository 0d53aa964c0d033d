namespace NemoVideo.Tests.Infrastructure;

/// <summary>A test that only means something on Linux: elsewhere it is reported as skipped, with the reason, never as passed.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute(string reason)
    {
        if (!OperatingSystem.IsLinux()) Skip = reason;
    }
}

/// <summary>A test of Unix file modes: skipped (visibly) on Windows.</summary>
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute(string reason)
    {
        if (OperatingSystem.IsWindows()) Skip = reason;
    }
}
