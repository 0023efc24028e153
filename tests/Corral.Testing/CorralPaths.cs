namespace Corral.Testing;

/// <summary>Where the built <c>corral</c> executable and the repository are, from a test's point of view.</summary>
public static class CorralPaths
{
    /// <summary>corral.dll, copied next to the test assembly through the project reference.</summary>
    public static string CorralDll { get; } = Path.Combine(AppContext.BaseDirectory, "corral.dll");

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Corral.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Corral.slnx) above " + AppContext.BaseDirectory);
    }

    /// <summary>The variable that points the children a server starts from inside a test host at corral.dll.</summary>
    public const string RunnerDllVariable = "CORRAL_RUNNER_DLL";

    /// <summary>Makes runner processes started from inside a test host run corral.dll, not the test host.</summary>
    public static void UseCorralDllForRunners() => Environment.SetEnvironmentVariable(RunnerDllVariable, CorralDll);
}
