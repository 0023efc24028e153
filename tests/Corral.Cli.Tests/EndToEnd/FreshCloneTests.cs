using System.Diagnostics;
using Corral.Testing;

namespace Corral.Cli.Tests.EndToEnd;

/// <summary>
/// The README's first command on a fresh clone: a copy of this working tree (tracked and unignored files only, so
/// no <c>artifacts/</c>, <c>bin/</c> or <c>obj/</c>) and an empty native-library cache (<c>CORRAL_CACHE_DIR</c>).
/// <c>./corral</c> must build, fetch the pinned llama.cpp, compile libmtmd and run, saying what each phase is doing
/// and how long it took.
/// </summary>
public sealed class FreshCloneTests : IDisposable
{
    private readonly string _clone = Directory.CreateTempSubdirectory("corral-fresh-clone-").FullName;
    private readonly string _cache = Directory.CreateTempSubdirectory("corral-fresh-cache-").FullName;

    [Fact]
    public async Task Corral_version_works_on_a_fresh_clone_with_an_empty_cache_and_reports_each_phase()
    {
        await CopyWorkingTreeAsync(CorralPaths.RepoRoot, _clone);
        Assert.False(Directory.Exists(Path.Combine(_clone, "artifacts")));

        var (exitCode, stdout, stderr) = await RunAsync(Path.Combine(_clone, "corral"), ["--version"], TimeSpan.FromMinutes(12));

        Assert.True(exitCode == 0, $"exit {exitCode}\nstdout:\n{stdout}\nstderr:\n{stderr}");
        // The copy has no .git, so its build carries no commit suffix.
        var version = Corral.Api.CorralVersion.Build.Split('+')[0];
        Assert.Contains($"Warning: client version is {version} (Ollama API {Corral.Api.CorralVersion.OllamaApi})", stdout);
        Assert.DoesNotContain("failed", stderr);
        foreach (var phase in new[] { "building Corral", "fetching @node-llama-cpp/linux-x64@", "fetching the llama.cpp", "building libmtmd" })
        {
            var started = stderr.Split('\n').Single(l => l.StartsWith("corral: " + phase, StringComparison.Ordinal) && l.EndsWith("...", StringComparison.Ordinal));
            Assert.Matches(@"^corral: .*: done in \d+ s$", stderr.Split('\n').Single(l => l.StartsWith(started[..^4] + ": done in ", StringComparison.Ordinal)));
        }

        Assert.True(File.Exists(Path.Combine(_clone, "artifacts", "build.log")), "the build log is kept");
        var libs = Path.Combine(_cache, "llama", Corral.Llama.Native.NativeLibraryLocator.PackageVersion, "libs");
        Assert.True(File.Exists(Path.Combine(libs, ".complete")), stderr);
        Assert.True(File.Exists(Path.Combine(libs, "libmtmd.so")), stderr);

        // A second start builds and fetches nothing and prints no phase.
        var again = await RunAsync(Path.Combine(_clone, "corral"), ["--version"], TimeSpan.FromMinutes(2));
        Assert.Equal(0, again.ExitCode);
        Assert.Equal(string.Empty, again.Stderr);
    }

    public void Dispose()
    {
        Directory.Delete(_clone, recursive: true);
        Directory.Delete(_cache, recursive: true);
    }

    /// <summary>What a clone of the current tree would hold: <c>git ls-files</c> (tracked and untracked-unignored).</summary>
    private static async Task CopyWorkingTreeAsync(string repo, string destination)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "ls-files", "-z", "--cached", "--others", "--exclude-standard" })
        {
            info.ArgumentList.Add(arg);
        }

        using var git = Process.Start(info)!;
        var list = await git.StandardOutput.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.Equal(0, git.ExitCode);
        foreach (var relative in list.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var source = Path.Combine(repo, relative);
            if (!File.Exists(source))
            {
                continue; // deleted in the working tree but not yet in the index
            }

            var target = Path.Combine(destination, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target); // keeps the mode, so ./corral stays executable
        }
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string script, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(script)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _clone,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CORRAL_CACHE_DIR"] = _cache;
        info.Environment["OLLAMA_HOST"] = $"127.0.0.1:{ChildProcessReadiness.FreeLoopbackPort()}"; // no server there
        info.Environment.Remove("CORRAL_LLAMA_LIB_DIR");
        // Leave no build servers behind: MSBuild nodes and the shared compiler would outlive the test by minutes.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{script} did not finish:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
