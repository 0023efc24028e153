using System.Globalization;
using Corral.Api.Client;
using Corral.Api.Ollama;
using Corral.Cli.Arguments;
using Corral.Cli.Output;

namespace Corral.Cli.Verbs;

/// <summary><c>corral ps</c>: the loaded models, where they run and until when they stay loaded.</summary>
internal static class PsVerb
{
    public static async Task<int> RunAsync(OllamaClient client, ParsedArguments args, CancellationToken cancellationToken)
    {
        var running = await client.PsAsync(cancellationToken).ConfigureAwait(false);
        Console.Out.Write(Format(running.Models, DateTimeOffset.Now, args.Positionals.Count > 0 ? args.Positionals[0] : null));
        return 0;
    }

    public static string Format(IEnumerable<ProcessModelResponse> models, DateTimeOffset now, string? prefix = null)
    {
        var table = new TextTable("\t");
        table.AddRow("NAME", "ID", "SIZE", "PROCESSOR", "CONTEXT", "UNTIL");
        foreach (var model in models)
        {
            if (prefix is not null && !model.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var until = model.ExpiresAt != default && model.ExpiresAt < now ? "Stopping..." : HumanFormat.Time(model.ExpiresAt, now, "Never");
            table.AddRow(
                model.Name,
                ShortDigest.Of(model.Digest),
                HumanFormat.Bytes(model.Size),
                Processor(model.Size, model.SizeVram),
                model.ContextLength.ToString(CultureInfo.InvariantCulture),
                until);
        }

        return table.Render();
    }

    /// <summary>"100% CPU", "100% GPU", or the split ("48%/52% CPU/GPU").</summary>
    public static string Processor(long size, long sizeVram)
    {
        if (sizeVram == 0)
        {
            return "100% CPU";
        }

        if (sizeVram == size)
        {
            return "100% GPU";
        }

        if (sizeVram > size || size == 0)
        {
            return "Unknown";
        }

        var cpuPercent = (int)Math.Round((size - sizeVram) * 100.0 / size, MidpointRounding.AwayFromZero);
        return $"{cpuPercent}%/{100 - cpuPercent}% CPU/GPU";
    }
}
