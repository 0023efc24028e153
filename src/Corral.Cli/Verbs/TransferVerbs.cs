using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;
using Corral.Cli.Output;

namespace Corral.Cli.Verbs;

/// <summary><c>corral pull</c> and <c>corral push</c>: a registry transfer with a bar per layer.</summary>
internal static class TransferVerbs
{
    public static async Task<int> PullAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        await PullAsync(client, args.Positionals[0], args.Bool("insecure"), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    public static async Task PullAsync(OllamaClient client, string model, bool insecure, CancellationToken cancellationToken)
    {
        await using var display = ProgressDisplay.ForStandardError();
        var progress = new TransferProgress(display, "pulling");
        var request = new PullRequest { Model = model, Insecure = insecure };
        await foreach (var line in client.PullAsync(request, cancellationToken).ConfigureAwait(false))
        {
            progress.Apply(line);
        }
    }

    public static async Task<int> PushAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        await using var display = ProgressDisplay.ForStandardError();
        var progress = new TransferProgress(display, "pushing");
        var request = new PushRequest { Model = args.Positionals[0], Insecure = args.Bool("insecure") };
        try
        {
            await foreach (var line in client.PushAsync(request, cancellationToken).ConfigureAwait(false))
            {
                progress.Apply(line);
            }
        }
        catch (OllamaApiException ex) when (ex.ErrorMessage.Contains("access denied", StringComparison.Ordinal))
        {
            throw new OllamaApiException(ex.StatusCode, "you are not authorized to push to this namespace, create the model under a namespace you own");
        }

        return 0;
    }
}
