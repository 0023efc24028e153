using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;
using Corral.Cli.Output;

namespace Corral.Cli.Verbs;

/// <summary><c>corral show MODEL</c>: the summary, or one part with --license/--modelfile/--parameters/--system/--template.</summary>
internal static class ShowVerb
{
    private static readonly string[] Parts = ["license", "modelfile", "parameters", "system", "template"];

    public static async Task<int> RunAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var chosen = Parts.Where(args.Bool).ToList();
        if (chosen.Count > 1)
        {
            throw new UsageException("only one of '--license', '--modelfile', '--parameters', '--system', or '--template' can be specified");
        }

        var verbose = args.Bool("verbose");
        var show = await client.ShowAsync(new ShowRequest { Model = args.Positionals[0], Verbose = verbose }, cancellationToken).ConfigureAwait(false);
        if (chosen.Count == 1)
        {
            Console.Out.WriteLine(Part(show, chosen[0]));
            return 0;
        }

        Console.Out.Write(ModelInfoPrinter.Format(show, verbose));
        return 0;
    }

    public static string Part(ShowResponse show, string part) => part switch
    {
        "license" => show.License,
        "modelfile" => show.Modelfile,
        "parameters" => show.Parameters,
        "system" => show.System,
        "template" => show.Template,
        _ => null,
    } ?? string.Empty;
}
