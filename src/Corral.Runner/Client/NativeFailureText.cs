namespace Corral.Runner.Client;

/// <summary>
/// Picks llama.cpp's own reason out of the last lines a child process (runner, quantizer) wrote to stderr, and
/// names the signal that ended it. The reason is llama.cpp's line, not the child's last one: after a
/// <c>GGML_ASSERT</c> come abort noise and, had ggml's backtrace helper not been turned off
/// (<see cref="CorralSelfCommand"/> sets GGML_NO_BACKTRACE), gdb's "[Inferior 1 (process N) detached]".
/// </summary>
internal static class NativeFailureText
{
    // Strongest first: ggml's abort line ("file:line: GGML_ASSERT(x) failed" / "fatal error"), a C++ exception that
    // reached std::terminate, then llama.cpp's load errors.
    private static readonly string[][] Markers =
    [
        ["GGML_ASSERT(", ": fatal error", "GGML_ABORT"],
        ["what():"],
        ["error loading model:", "failed to load model"],
    ];

    // Lines a debugger or the C++ runtime adds around the real reason.
    private static readonly string[] Noise =
    [
        "[Inferior ", "[New LWP", "[Thread debugging", "Using host libthread_db", "warning: ", "#0 ", "#1 ", "Aborted",
    ];

    /// <summary>The most informative line of <paramref name="lines"/> (the latest of its kind), or null when all are empty.</summary>
    public static string? Reason(IEnumerable<string> lines)
    {
        var list = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        foreach (string[] markers in Markers)
        {
            int at = list.FindLastIndex(l => markers.Any(m => l.Contains(m, StringComparison.Ordinal)));
            if (at >= 0)
            {
                // "terminate called after throwing an instance of 'X'" then "  what():  message": both say something.
                return markers[0] == "what():" && at > 0 && list[at - 1].StartsWith("terminate called", StringComparison.Ordinal)
                    ? list[at - 1] + ": " + list[at]
                    : list[at];
            }
        }

        int last = list.FindLastIndex(l => !Noise.Any(n => l.StartsWith(n, StringComparison.Ordinal)));
        return last >= 0 ? list[last] : list.LastOrDefault();
    }

    /// <summary>The text of a whole stderr tail, split into lines.</summary>
    public static string? Reason(string tail) => Reason(tail.Split('\n'));

    /// <summary>"crashed (SIGABRT)" for an exit status above 128 (a signal), else "exited with code N".</summary>
    public static string HowItEnded(int exitCode) =>
        exitCode > 128 ? $"crashed ({SignalName(exitCode - 128)})" : $"exited with code {exitCode}";

    private static string SignalName(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL, perhaps out of memory",
        11 => "SIGSEGV",
        _ => $"signal {signal}",
    };
}
