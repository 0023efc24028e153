using System.Net;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;

namespace Corral.Cli.Verbs;

/// <summary><c>corral cp</c>, <c>corral rm</c> and <c>corral stop</c>.</summary>
internal static class ManageVerbs
{
    public static async Task<int> CopyAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var (source, destination) = (args.Positionals[0], args.Positionals[1]);
        await client.CopyAsync(new CopyRequest { Source = source, Destination = destination }, cancellationToken).ConfigureAwait(false);
        Console.Out.WriteLine($"copied '{source}' to '{destination}'");
        return 0;
    }

    public static async Task<int> RemoveAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        foreach (var name in args.Positionals)
        {
            // Unload first so a loaded model does not keep its files busy, as ollama does. Only when /api/ps lists
            // it: an unload request for a model that is not loaded must not make the server load it.
            try
            {
                if (await IsLoadedAsync(client, name, cancellationToken).ConfigureAwait(false))
                {
                    await UnloadAsync(client, name, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OllamaApiException)
            {
                Console.Error.WriteLine($"Warning: unable to stop model '{name}'");
            }

            await client.DeleteAsync(new DeleteRequest { Model = name }, cancellationToken).ConfigureAwait(false);
            Console.Out.WriteLine($"deleted '{name}'");
        }

        return 0;
    }

    public static async Task<int> StopAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var name = args.Positionals[0];
        try
        {
            await UnloadAsync(client, name, cancellationToken).ConfigureAwait(false);
        }
        catch (OllamaApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new OllamaApiException(ex.StatusCode, $"couldn't find model \"{name}\" to stop");
        }

        return 0;
    }

    private static async Task<bool> IsLoadedAsync(OllamaClient client, string name, CancellationToken cancellationToken)
    {
        var running = await client.PsAsync(cancellationToken).ConfigureAwait(false);
        var tagged = name.Contains(':', StringComparison.Ordinal) ? name : name + ":latest";
        return running.Models.Any(m => m.Name == name || m.Name == tagged || m.Model == name || m.Model == tagged);
    }

    /// <summary>A generate request with no prompt and keep_alive 0: the server unloads the model.</summary>
    private static async Task UnloadAsync(OllamaClient client, string name, CancellationToken cancellationToken)
    {
        var request = new GenerateRequest { Model = name, KeepAlive = KeepAlive.UnloadNow };
        await foreach (var _ in client.GenerateStreamAsync(request, cancellationToken).ConfigureAwait(false))
        {
        }
    }
}
