using System.Text;
using System.Text.Json;
using Corral.Models.Formatting;

namespace Corral.Server.Ollama.Management;

/// <summary>
/// The <c>parameters</c> text of /api/show: one <c>name value</c> line per parameter (arrays such
/// as <c>stop</c> give one line per element), the name padded to 30 columns and the value in Go's
/// <c>%#v</c> form (strings quoted). Keys are sorted; Ollama iterates a Go map, so any order is
/// Ollama-compatible and sorted is stable.
/// </summary>
internal static class ShowParameters
{
    private const int NameWidth = 30;

    public static string Format(string? paramsJson)
    {
        if (string.IsNullOrWhiteSpace(paramsJson))
        {
            return string.Empty;
        }

        using var document = JsonDocument.Parse(paramsJson);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return string.Empty;
        }

        var lines = new List<string>();
        foreach (var property in document.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    lines.Add(Line(property.Name, item));
                }
            }
            else
            {
                lines.Add(Line(property.Name, property.Value));
            }
        }

        return string.Join('\n', lines);
    }

    private static string Line(string name, JsonElement value) =>
        new StringBuilder(NameWidth + 16).Append(name.PadRight(NameWidth)).Append(' ').Append(GoSyntax(value)).ToString();

    private static string GoSyntax(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => GoText.Quote(value.GetString()),
        JsonValueKind.Number => GoText.Number(value.GetDouble()),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "<nil>",
        _ => value.GetRawText(),
    };
}
