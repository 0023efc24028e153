using Corral.Api.Client;
using Corral.Cli.Arguments;
using Corral.Cli.Create;
using Corral.Cli.Output;
using Corral.Models.Modelfiles;

namespace Corral.Cli.Verbs;

/// <summary><c>corral create NAME [-f Modelfile] [-q QUANT]</c>.</summary>
internal static class CreateVerb
{
    public static async Task<int> RunAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var (text, path) = ReadModelfile(args.String("file"));
        var modelfile = Modelfile.Parse(text);
        await using var display = ProgressDisplay.ForStandardError();
        display.Status("gathering model components");
        var plan = await CreateRequestBuilder.BuildAsync(modelfile, Path.GetDirectoryName(path)!, cancellationToken).ConfigureAwait(false);
        var draftQuantize = args.String("draft-quantize");
        if (draftQuantize is { Length: > 0 } && plan.Request.DraftFiles is not { Count: > 0 })
        {
            throw new ArgumentException("--draft-quantize requires a DRAFT model");
        }

        foreach (var warning in plan.Warnings)
        {
            Console.Out.WriteLine(warning);
        }

        await BlobUploader.UploadAsync(client, plan.Uploads, display, cancellationToken).ConfigureAwait(false);
        var request = plan.Request;
        request.Model = args.Positionals[0];
        if (args.String("quantize") is { Length: > 0 } quantize)
        {
            request.Quantize = quantize;
        }

        if (draftQuantize is { Length: > 0 })
        {
            request.DraftQuantize = draftQuantize;
        }

        var progress = new TransferProgress(display, "pulling");
        await foreach (var line in client.CreateAsync(request, cancellationToken).ConfigureAwait(false))
        {
            progress.Apply(line, useStatusForBars: true);
        }

        return 0;
    }

    /// <summary>
    /// The Modelfile's text and absolute path. Without -f, ./Modelfile, or "FROM ." (the current folder's
    /// weights) when there is none, as ollama does.
    /// </summary>
    private static (string Text, string Path) ReadModelfile(string? file)
    {
        var path = Path.GetFullPath(string.IsNullOrEmpty(file) ? "Modelfile" : file);
        if (File.Exists(path))
        {
            return (File.ReadAllText(path), path);
        }

        if (Directory.Exists(path) && !string.IsNullOrEmpty(file))
        {
            return ("FROM .\n", Path.Combine(path, "Modelfile"));
        }

        if (string.IsNullOrEmpty(file))
        {
            return ("FROM .\n", path);
        }

        throw new FileNotFoundException("specified Modelfile wasn't found");
    }
}
