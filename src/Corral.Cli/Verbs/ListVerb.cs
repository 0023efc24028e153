using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;
using Corral.Cli.Output;

namespace Corral.Cli.Verbs;

/// <summary><c>corral list</c>: NAME, ID, SIZE, MODIFIED of local models (optionally those starting with a prefix).</summary>
internal static class ListVerb
{
    public static async Task<int> RunAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var list = await client.ListAsync(cancellationToken).ConfigureAwait(false);
        Console.Out.Write(Format(list.Models, DateTimeOffset.Now, args.Positionals.Count > 0 ? args.Positionals[0] : null));
        return 0;
    }

    public static string Format(IEnumerable<ListModelResponse> models, DateTimeOffset now, string? prefix = null)
    {
        var table = new TextTable("\t");
        table.AddRow("NAME", "ID", "SIZE", "MODIFIED");
        foreach (var model in models)
        {
            if (prefix is null || model.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                table.AddRow(model.Name, ShortDigest.Of(model.Digest), HumanFormat.Bytes(model.Size), HumanFormat.Time(model.ModifiedAt, now, "Never"));
            }
        }

        return table.Render();
    }
}
