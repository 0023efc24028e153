using System.Runtime.InteropServices;

namespace Corral.Testing;

/// <summary>POSIX signals to child processes (.NET's Process.Kill only sends SIGKILL).</summary>
public static partial class Signals
{
    private const int SigTerm = 15;
    private const int SigKill = 9;

    /// <summary>Sends SIGTERM; false when the process is already gone.</summary>
    public static bool Terminate(int pid) => kill(pid, SigTerm) == 0;

    /// <summary>Sends SIGKILL to a process that may already have ended.</summary>
    public static void KillIfAlive(int pid) => _ = kill(pid, SigKill);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
