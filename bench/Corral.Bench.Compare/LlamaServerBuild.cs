using System.Diagnostics;
using Corral.Testing;

namespace Corral.Bench.Compare;

/// <summary>
/// llama-server of the pinned llama.cpp release, built once by <c>eng/native.sh llama-server</c> into the
/// library cache (linked against the same prebuilt ggml Corral loads; see that script).
/// </summary>
internal static class LlamaServerBuild
{
    /// <summary>Runs the script (its progress goes to stderr as it comes) and returns the path of the binary.</summary>
    public static async Task<string> EnsureAsync(CancellationToken cancellation)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = CorralPaths.RepoRoot,
        };
        info.ArgumentList.Add(Path.Combine(CorralPaths.RepoRoot, "eng", "native.sh"));
        info.ArgumentList.Add("llama-server");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not run eng/native.sh");
        try
        {
            var output = await process.StandardOutput.ReadToEndAsync(cancellation).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellation).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"eng/native.sh llama-server failed with exit code {process.ExitCode} (see above)");
            }

            var folder = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Last();
            var binary = Path.Combine(folder, "llama-server");
            return File.Exists(binary) ? binary : throw new FileNotFoundException("eng/native.sh did not produce llama-server", binary);
        }
        finally
        {
            if (!process.HasExited)
            {
                // Cancelled (Ctrl-C) mid-build: stop the compilers; the script keeps its build tree and the next run resumes it.
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
