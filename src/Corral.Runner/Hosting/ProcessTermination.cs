using System.Runtime.InteropServices;

namespace Corral.Runner.Hosting;

/// <summary>Ends the process the way native code does, without .NET's shutdown (Linux, glibc).</summary>
internal static partial class ProcessTermination
{
    /// <summary>SIGABRT, as a failed GGML_ASSERT would: for the crash test hook.</summary>
    public static void Abort() => abort();

    /// <summary>Exits now, skipping atexit handlers that could race the native quantizer still running on another thread.</summary>
    public static void ExitImmediately(int code) => _exit(code);

    [LibraryImport("libc.so.6")]
    private static partial void abort();

    [LibraryImport("libc.so.6")]
    private static partial void _exit(int status);
}
