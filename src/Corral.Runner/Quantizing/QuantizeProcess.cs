using System.Diagnostics;
using System.Text;
using Corral.Runner.Client;

namespace Corral.Runner.Quantizing;

/// <summary>
/// Runs <c>corral quantize</c> as a child process, started like the runners (same executable, same environment),
/// and streams its progress. Cancelling kills the child; any failure, crash or cancellation leaves no output file.
/// </summary>
public static class QuantizeProcess
{
    private const int StderrTailLines = 20;

    /// <summary>
    /// Quantizes <see cref="QuantizeLaunchOptions.InputPath"/> into <see cref="QuantizeLaunchOptions.OutputPath"/>.
    /// <paramref name="progress"/> gets the fraction of tensors done (0..1); when it throws, the child is killed.
    /// </summary>
    /// <exception cref="QuantizeFailedException">The child exited non-zero or died of a signal.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; the child was killed.</exception>
    public static Task RunAsync(QuantizeLaunchOptions options, Func<double, Task> progress, CancellationToken cancellation) =>
        RunAsync(options, EnvironmentSource.Process, progress, cancellation);

    /// <summary>
    /// Quantizes <see cref="QuantizeLaunchOptions.InputPath"/> into <see cref="QuantizeLaunchOptions.OutputPath"/> in a
    /// child that sees <paramref name="environment"/>'s variables. <paramref name="progress"/> gets the fraction of
    /// tensors done (0..1); when it throws, the child is killed.
    /// </summary>
    /// <exception cref="QuantizeFailedException">The child exited non-zero or died of a signal.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired; the child was killed.</exception>
    public static async Task RunAsync(QuantizeLaunchOptions options, EnvironmentSource environment, Func<double, Task> progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(environment);
        cancellation.ThrowIfCancellationRequested();
        var info = CorralSelfCommand.StartInfo((options with { ExitWithStdin = true }).ToArguments(), environment);
        info.RedirectStandardInput = true;
        info.StandardOutputEncoding = Encoding.UTF8;
        info.StandardErrorEncoding = Encoding.UTF8;
        using var process = new Process { StartInfo = info };
        var stderr = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                lock (stderr)
                {
                    stderr.Enqueue(e.Data.Trim());
                    if (stderr.Count > StderrTailLines)
                    {
                        stderr.Dequeue();
                    }
                }
            }
        };

        try
        {
            if (!process.Start())
            {
                throw new QuantizeFailedException("quantization failed: could not start the quantizer process");
            }
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new QuantizeFailedException($"quantization failed: could not start the quantizer process: {ex.Message}");
        }

        process.BeginErrorReadLine();
        try
        {
            // Killing the child ends its stdout, which ends the read loop below: no cancellable pipe reads needed.
            await using (cancellation.Register(() => Kill(process)).ConfigureAwait(false))
            {
                while (await process.StandardOutput.ReadLineAsync(CancellationToken.None).ConfigureAwait(false) is { } line)
                {
                    if (QuantizeProtocol.TryParseProgress(line, out var done, out var total))
                    {
                        await progress((double)done / total).ConfigureAwait(false);
                    }
                }

                // Also waits for stderr to be drained.
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }

            cancellation.ThrowIfCancellationRequested();
            if (process.ExitCode != 0)
            {
                string[] tail;
                lock (stderr)
                {
                    tail = [.. stderr];
                }

                throw new QuantizeFailedException(Describe(process.ExitCode, tail));
            }
        }
        catch
        {
            // Wait for the child to be gone before deleting, so nothing writes the file again.
            await KillAndWaitAsync(process).ConfigureAwait(false);
            TryDelete(options.OutputPath);
            throw;
        }
    }

    /// <summary>"quantization failed: " and the child's own error line, else how it died and llama.cpp's reason (or its last words).</summary>
    internal static string Describe(int exitCode, IReadOnlyList<string> stderrTail)
    {
        var error = stderrTail.LastOrDefault(l => l.StartsWith(QuantizeProtocol.ErrorPrefix, StringComparison.Ordinal));
        if (error is not null)
        {
            return "quantization failed: " + error[QuantizeProtocol.ErrorPrefix.Length..];
        }

        var how = "the quantizer process " + NativeFailureText.HowItEnded(exitCode);
        return NativeFailureText.Reason(stderrTail) is { } reason ? $"quantization failed: {how}: {reason}" : $"quantization failed: {how}";
    }

    private static async Task KillAndWaitAsync(Process process)
    {
        Kill(process);
        try
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Unkillable for now (uninterruptible I/O); the file is deleted anyway and start-up pruning catches leftovers.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
