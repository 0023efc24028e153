using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Ollama;

namespace Corral.Cli.Output;

/// <summary>
/// The sectioned summary of <c>ollama show MODEL</c> (also <c>/show info</c>): Model, Capabilities, Projector, Adapters (Corral's),
/// Parameters, Metadata and Tensors (verbose only), System and License (first two lines).
/// </summary>
internal static class ModelInfoPrinter
{
    public static string Format(ShowResponse show, bool verbose)
    {
        var text = new StringBuilder();
        Section(text, "Model", ModelRows(show));
        if (show.Capabilities is { Count: > 0 } capabilities)
        {
            Section(text, "Capabilities", capabilities.Select(c => new[] { "", c }));
        }

        if (show.ProjectorInfo is { } projector)
        {
            Section(text, "Projector", ProjectorRows(projector));
        }

        if (show.Adapters is { Count: > 0 } adapters)
        {
            Section(text, "Adapters", adapters.Select(AdapterRow));
        }

        if (!string.IsNullOrEmpty(show.Parameters))
        {
            var rows = show.Parameters.Split('\n')
                .Where(l => l.Trim().Length > 0)
                .Select(l => (string[])["", .. l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)]);
            Section(text, "Parameters", rows);
        }

        if (verbose && show.ModelInfo is { } info)
        {
            Section(text, "Metadata", info.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new[] { "", p.Key, MetadataValue(p.Value) }));
        }

        if (verbose && show.Tensors is { Count: > 0 } tensors)
        {
            Section(text, "Tensors", tensors.Select(t => new[] { "", t.Name, t.Type, "[" + string.Join(' ', t.Shape) + "]" }));
        }

        if (!string.IsNullOrEmpty(show.System))
        {
            Section(text, "System", Head(show.System, 2));
        }

        if (!string.IsNullOrEmpty(show.License))
        {
            Section(text, "License", Head(show.License, 2));
        }

        return text.ToString();
    }

    private static List<string[]> ModelRows(ShowResponse show)
    {
        var rows = new List<string[]>();
        var info = show.ModelInfo;
        if (info is not null && info["general.architecture"]?.GetValueKind() == JsonValueKind.String)
        {
            var arch = info["general.architecture"]!.GetValue<string>();
            rows.Add(["", "architecture", arch]);
            var parameters = show.Details.ParameterSize;
            if (parameters.Length == 0 && Number(info["general.parameter_count"]) is { } count)
            {
                parameters = HumanFormat.Number((ulong)count);
            }

            rows.Add(["", "parameters", parameters]);
            if (Number(info[arch + ".context_length"]) is { } context)
            {
                rows.Add(["", "context length", context.ToString(CultureInfo.InvariantCulture)]);
            }

            if (Number(info[arch + ".embedding_length"]) is { } embedding)
            {
                rows.Add(["", "embedding length", embedding.ToString(CultureInfo.InvariantCulture)]);
            }
        }
        else
        {
            rows.Add(["", "architecture", show.Details.Family]);
            rows.Add(["", "parameters", show.Details.ParameterSize]);
        }

        rows.Add(["", "quantization", show.Details.QuantizationLevel]);
        return rows;
    }

    /// <summary>"lora 0  abc123def456  alpha 16  rank 8": the id a request's lora list uses, then what scales it.</summary>
    private static string[] AdapterRow(AdapterInfo adapter)
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            "",
            "lora " + adapter.Id.ToString(c),
            ShortDigest.Of(adapter.Digest),
            adapter.Alpha is { } alpha ? "alpha " + alpha.ToString(c) : "no alpha",
            adapter.Rank is { } rank ? "rank " + rank.ToString(c) : "",
        ];
    }

    private static IEnumerable<string[]> ProjectorRows(JsonObject projector)
    {
        var arch = projector["general.architecture"]?.GetValueKind() == JsonValueKind.String ? projector["general.architecture"]!.GetValue<string>() : "clip";
        yield return ["", "architecture", arch];
        if (Number(projector["general.parameter_count"]) is { } count)
        {
            yield return ["", "parameters", HumanFormat.Number((ulong)count)];
        }

        if (Number(projector[arch + ".vision.embedding_length"]) is { } embedding)
        {
            yield return ["", "embedding length", embedding.ToString(CultureInfo.InvariantCulture)];
        }

        if (Number(projector[arch + ".vision.projection_dim"]) is { } dimensions)
        {
            yield return ["", "dimensions", dimensions.ToString(CultureInfo.InvariantCulture)];
        }
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.Number
            ? double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;

    private static string MetadataValue(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return "<nil>";
            case JsonArray array:
                const int shown = 10;
                var items = array.Take(shown).Select(MetadataValue);
                return "[" + string.Join(' ', items) + (array.Count > shown ? $" ...+{array.Count - shown} more" : "") + "]";
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    JsonValueKind.Number => GoFloat.FormatG(double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)),
                    _ => value.ToJsonString(),
                };
            default:
                return node.ToJsonString();
        }
    }

    // The first n non-blank lines, trimmed, with "..." when there are more.
    private static List<string[]> Head(string text, int n)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var rows = lines.Take(n).Select(l => new[] { "", l }).ToList();
        if (lines.Count > n)
        {
            rows.Add(["", "..."]);
        }

        return rows;
    }

    private static void Section(StringBuilder text, string header, IEnumerable<string[]> rows)
    {
        text.Append("  ").Append(header).Append('\n');
        var table = new TextTable("    ");
        foreach (var row in rows)
        {
            table.AddRow(row);
        }

        text.Append(table.Render()).Append('\n');
    }
}
