using Corral.Api.Client;
using Corral.Cli.Arguments;
using Corral.Cli.Verbs;
using Corral.Runner.Hosting;
using Corral.Runner.Quantizing;
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
                return await VersionVerb.RunAsync().ConfigureAwait(false);
            case "serve" or "start":
                return await ServeAsync().ConfigureAwait(false);
            case "responses":
                return ResponsesVerb.Run(args[1..]);
            case "keys":
                return KeysVerb.Run(args[1..]);
            case "gateway":
                return await GatewayVerb.RunAsync(args[1..]).ConfigureAwait(false);
            case "runner":
                return await RunRunnerAsync(args[1..]).ConfigureAwait(false);
            case Corral.Runner.Discovery.DevicesCommand.Verb:
                // Hidden: the server's device discovery at start (which GPUs, how much memory), in a child of its own.
                return Corral.Runner.Discovery.DevicesCommand.Run();
            case QuantizeLaunchOptions.Verb:
                // Hidden: the server runs llama_model_quantize in this child so a native crash cannot take it down.
                return QuantizeCommand.Run(args[1..]);
            case "help" or "--help" or "-h":
                return Help(args.Length > 1 ? args[1] : null);
            default:
                if (VerbCatalog.Find(verb) is { } spec)
                {
                    return await RunClientVerbAsync(spec, args[1..]).ConfigureAwait(false);
                }

                Console.Error.WriteLine($"Error: unknown command \"{verb}\" for \"corral\"");
                return 1;
        }
    }

    private static async Task<int> ServeAsync()
    {
        Microsoft.AspNetCore.Builder.WebApplication app;
        try
        {
            app = CorralServer.Build(ServerSettings.FromEnvironment());
        }
        catch (Corral.Server.OpenAI.Responses.Storage.ResponsesDatabaseException ex)
        {
            Console.Error.WriteLine($"Error: {ex.Message}");
            return 1;
        }

        await app.RunAsync().ConfigureAwait(false);
        return 0;
    }

    /// <summary>A verb that talks to the server: parse, run, and turn failures into one "Error: ..." line and exit code 1.</summary>
    private static async Task<int> RunClientVerbAsync(VerbSpec spec, string[] args)
    {
        using var client = new OllamaClient();
        try
        {
            var parsed = spec.Parse(args);
            if (parsed.HelpRequested)
            {
                Console.Out.Write(spec.Help());
                return 0;
            }

            var cancellationToken = CancellationToken.None;
            return spec.Name switch
            {
                "create" => await CreateVerb.RunAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "show" => await ShowVerb.RunAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "run" => await RunVerb.RunAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "stop" => await ManageVerbs.StopAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "pull" => await TransferVerbs.PullAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "push" => await TransferVerbs.PushAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "list" => await ListVerb.RunAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "ps" => await PsVerb.RunAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "cp" => await ManageVerbs.CopyAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                "rm" => await ManageVerbs.RemoveAsync(client, parsed, cancellationToken).ConfigureAwait(false),
                _ => throw new UsageException($"unknown command \"{spec.Name}\" for \"corral\""),
            };
        }
        catch (Exception ex) when (CliErrors.Describe(ex, client.BaseAddress) is { } message)
        {
            Console.Out.Flush();
            Console.Error.WriteLine($"Error: {message}");
            return 1;
        }
    }

    private static int Help(string? verb)
    {
        if (verb == ResponsesVerb.Spec.Name)
        {
            Console.Out.Write(ResponsesVerb.Spec.Help());
            return 0;
        }

        if (verb == KeysVerb.Spec.Name)
        {
            Console.Out.Write(KeysVerb.Spec.Help());
            return 0;
        }

        if (verb == GatewayVerb.Spec.Name)
        {
            Console.Out.Write(GatewayVerb.Spec.Help());
            return 0;
        }

        if (verb is not null && VerbCatalog.Find(verb) is { } spec)
        {
            Console.Out.Write(spec.Help());
            return 0;
        }

        PrintHelp();
        return 0;
    }

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

    private static void PrintHelp() => Console.Out.WriteLine(VerbCatalog.RootHelp);
}
