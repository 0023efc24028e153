using System.Reflection;
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
                var app = CorralServer.Build(OllamaHost.Parse(Environment.GetEnvironmentVariable("OLLAMA_HOST")));
                await app.RunAsync().ConfigureAwait(false);
                return 0;
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
