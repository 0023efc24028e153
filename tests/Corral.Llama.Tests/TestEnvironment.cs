using System.Diagnostics;

namespace Corral.Llama.Tests;

/// <summary>Locations the tests need: the repository and the pinned llama.cpp source tree.</summary>
internal static class TestEnvironment
{
    private static readonly Lazy<string> LazyRepoRoot = new(FindRepoRoot);
    private static readonly Lazy<string> LazyLlamaSource = new(FetchLlamaSource);
    private static readonly Lazy<bool> LazyMtmd = new(BuildMtmd);

    public static string RepoRoot => LazyRepoRoot.Value;

    /// <summary>The llama.cpp source folder, obtained like the build obtains the libraries (eng/native.sh).</summary>
    public static string LlamaSource => LazyLlamaSource.Value;

    /// <summary>Builds libmtmd once if missing (eng/native.sh mtmd; a no-op when it is there).</summary>
    public static void EnsureMtmd() => _ = LazyMtmd.Value;

    public static string VocabPath(string name) => Path.Combine(LlamaSource, "models", $"ggml-vocab-{name}.gguf");

    /// <summary>Runs a process to completion; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Stdout, string Stderr) Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Corral.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Corral.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string FetchLlamaSource()
    {
        var (exitCode, stdout, stderr) = Run("bash", Path.Combine(RepoRoot, "eng", "native.sh"), "source");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"eng/native.sh source failed ({exitCode}): {stderr}");
        }

        var folder = stdout.Trim().Split('\n')[^1].Trim();
        if (!File.Exists(Path.Combine(folder, "include", "llama.h")))
        {
            throw new InvalidOperationException($"eng/native.sh source printed '{folder}', which has no include/llama.h");
        }

        return folder;
    }

    private static bool BuildMtmd()
    {
        var (exitCode, _, stderr) = Run("bash", Path.Combine(RepoRoot, "eng", "native.sh"), "mtmd");
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"eng/native.sh mtmd failed ({exitCode}): {stderr}");
        }

        return true;
    }
}
