using System.Diagnostics;
using System.Reflection;

namespace Corral.Runner.Client;

/// <summary>
/// How the server starts this same executable again for a hidden subcommand (<c>corral runner</c>,
/// <c>corral quantize</c>): the apphost directly, or <c>dotnet corral.dll</c>; <c>CORRAL_RUNNER_DLL</c>
/// points tests (whose entry assembly is the test host) at the right dll. The child inherits the environment, with a
/// hosted server's own variables laid over it (<see cref="EnvironmentSource"/>).
/// </summary>
internal static class CorralSelfCommand
{
    public const string DllOverrideVariable = "CORRAL_RUNNER_DLL";

    /// <summary>
    /// A start info with every standard stream redirected, ready for <paramref name="arguments"/>, with
    /// <paramref name="environment"/>'s variables.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments, EnvironmentSource environment)
    {
        var (fileName, prefix) = Resolve(environment);
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        environment.ApplyTo(info);

        // On an abort ggml forks gdb to print a backtrace, whose last words ("[Inferior 1 (process N) detached]")
        // would bury llama.cpp's own assertion text: the children report that line instead (NativeFailureText).
        info.Environment["GGML_NO_BACKTRACE"] = "1";
        foreach (var a in prefix.Concat(arguments))
        {
            info.ArgumentList.Add(a);
        }

        return info;
    }

    private static (string FileName, string[] Prefix) Resolve(EnvironmentSource environment)
    {
        var processPath = Environment.ProcessPath ?? throw new RunnerException("cannot determine the corral executable path");
        var entry = Assembly.GetEntryAssembly()?.Location;
        var isDotnetHost = Path.GetFileNameWithoutExtension(processPath).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var overridePath = environment.Get(DllOverrideVariable);
        if (!string.IsNullOrEmpty(overridePath))
        {
            return (isDotnetHost ? processPath : "dotnet", [overridePath]);
        }

        return isDotnetHost && entry is not null ? (processPath, [entry]) : (processPath, []);
    }
}
