namespace Corral.Runner.Hosting;

/// <summary>
/// Ends a child process (a runner, the quantizer) when the server that started it is gone, however it went: the
/// server holds the child's stdin open and never writes to it, so the read returns end of file exactly when the
/// server's end closes — on a clean exit, a crash or SIGKILL alike. Without this a killed server leaves runners
/// holding their models in memory for ever.
/// </summary>
internal static class ParentLifeline
{
    /// <summary>Exit code of a child that ended because its parent went away.</summary>
    public const int OrphanedExitCode = 3;

    /// <param name="cleanup">Runs before the exit (remove a socket, a temp file); must not throw or block.</param>
    public static void ExitWhenStdinCloses(Action? cleanup = null)
    {
        var watcher = new Thread(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[64];
            while (stdin.Read(buffer) > 0)
            {
            }

            try
            {
                cleanup?.Invoke();
            }
            finally
            {
                // No .NET shutdown: native code (a decode, the quantizer) may still be running on another thread.
                ProcessTermination.ExitImmediately(OrphanedExitCode);
            }
        })
        {
            IsBackground = true,
            Name = "parent lifeline",
        };
        watcher.Start();
    }
}
