using System.Reflection;
using Corral.Runner.Hosting;
using Corral.Server.Configuration;
using Corral.Server.Hosting;

namespace Corral.Cli.Commands;

/// <summary>Routes <c>corral VERB ...</c> to the verb's implementation.</summary>
internal static class CommandDispatcher
{
    public static async Task<int> RunAsync(string[] args)
    {
        var verb = args.Length == 0 ? "help" : args[0];
        switch (verb)
        {
            case "--version" or "-v" or "version":
                Console.WriteLine($"corral version is {Version}");
                return 0;
            case "serve" or "start":
                var app = CorralServer.Build(ServerSettings.FromEnvironment());
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            case "runner":
                return await RunRunnerAsync(args[1..]).ConfigureAwait(false);
            case "help" or "--help" or "-h":
                PrintHelp();
                return 0;
            default:
                Console.Error.WriteLine($"Error: unknown command \"{verb}\" for \"corral\"");
                PrintHelp();
                return 1;
        }
    }

    public static string Version =>
        typeof(CommandDispatcher).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>The hidden subcommand the scheduler starts for each loaded model.</summary>
    private static async Task<int> RunRunnerAsync(string[] args)
    {
        RunnerLaunchOptions options;
        try
        {
            options = RunnerLaunchOptions.Parse(args);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 2;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
            System.Runtime.InteropServices.PosixSignal.SIGTERM,
            ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });
        return await new RunnerHost(options).RunAsync(stop.Token).ConfigureAwait(false);
    }

    private static void PrintHelp()
    {
        Console.WriteLine("""
            Large language model runner (Ollama-compatible)

            Usage:
              corral [flags]
              corral [command]

            Available Commands:
              serve       Start corral
              help        Help about any command

            Flags:
              -h, --help      help for corral
              -v, --version   Show version information
            """);
    }
}
