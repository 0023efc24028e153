using System.Diagnostics;
using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>Runs the built <c>corral</c> executable as a child process against a server (OLLAMA_HOST) with its own HOME.</summary>
public static class CorralCli
{
    public static async Task<CliResult> RunAsync(string host, string home, IEnumerable<string> args, string? stdin = null, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? home,
        };
        info.ArgumentList.Add(CorralPaths.CorralDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["OLLAMA_HOST"] = host;
        info.Environment["HOME"] = home;
        info.Environment.Remove("OLLAMA_API_KEY");
        info.Environment.Remove("CORRAL_API_KEY");
        info.Environment.Remove("CORRAL_API_KEYS_FILE"); // keys commands get their file from the test, never from the host
        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start corral");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"corral {string.Join(' ', args)} did not finish:\n{await stdout}\n{await stderr}");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
