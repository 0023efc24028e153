using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Corral.Models.Modelfiles;

/// <summary>
/// The one table of PARAMETER names (Ollama's runner and predict options), their types, and
/// conversion between Modelfile text and the JSON of the <c>params</c> layer.
/// </summary>
public static class ModelfileParameters
{
    public static readonly FrozenDictionary<string, ParameterDefinition> Known = new ParameterDefinition[]
    {
        // Options applied when the model is loaded.
        new("num_ctx", ParameterKind.Integer),
        new("num_batch", ParameterKind.Integer),
        new("num_gpu", ParameterKind.Integer),
        new("main_gpu", ParameterKind.Integer),
        new("use_mmap", ParameterKind.Boolean),
        new("num_thread", ParameterKind.Integer),

        // Options applied per request.
        new("num_keep", ParameterKind.Integer),
        new("seed", ParameterKind.Integer),
        new("num_predict", ParameterKind.Integer),
        new("draft_num_predict", ParameterKind.Integer),
        new("top_k", ParameterKind.Integer),
        new("top_p", ParameterKind.Float),
        new("min_p", ParameterKind.Float),
        new("typical_p", ParameterKind.Float),
        new("repeat_last_n", ParameterKind.Integer),
        new("temperature", ParameterKind.Float),
        new("repeat_penalty", ParameterKind.Float),
        new("presence_penalty", ParameterKind.Float),
        new("frequency_penalty", ParameterKind.Float),
        new("stop", ParameterKind.StringArray),

        // llama.cpp samplers Ollama lacks, named as llama-server names them (a Corral extension).
        new("top_n_sigma", ParameterKind.Float),
        new("xtc_probability", ParameterKind.Float),
        new("xtc_threshold", ParameterKind.Float),
        new("dry_multiplier", ParameterKind.Float),
        new("dry_base", ParameterKind.Float),
        new("dry_allowed_length", ParameterKind.Integer),
        new("dry_penalty_last_n", ParameterKind.Integer),
        new("dry_sequence_breakers", ParameterKind.StringArray),

        // Still accepted in old Modelfiles, ignored.
        new("penalize_newline", ParameterKind.Boolean, IsDeprecated: true),
        new("low_vram", ParameterKind.Boolean, IsDeprecated: true),
        new("f16_kv", ParameterKind.Boolean, IsDeprecated: true),
        new("logits_all", ParameterKind.Boolean, IsDeprecated: true),
        new("vocab_only", ParameterKind.Boolean, IsDeprecated: true),
        new("use_mlock", ParameterKind.Boolean, IsDeprecated: true),
        new("mirostat", ParameterKind.Integer, IsDeprecated: true),
        new("mirostat_tau", ParameterKind.Float, IsDeprecated: true),
        new("mirostat_eta", ParameterKind.Float, IsDeprecated: true),
    }.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);

    public static bool TryGet(string name, [NotNullWhen(true)] out ParameterDefinition? definition) =>
        Known.TryGetValue(name, out definition);

    /// <summary>
    /// Checks a PARAMETER line. Returns null when fine, else Ollama's message
    /// (<c>unknown parameter 'x'</c>, <c>invalid int value [x]</c>, ...). Deprecated names are fine.
    /// </summary>
    public static string? Validate(string name, string value)
    {
        if (!TryGet(name, out var definition))
        {
            return $"unknown parameter '{name}'";
        }

        if (definition.IsDeprecated)
        {
            return null;
        }

        return definition.Kind switch
        {
            ParameterKind.Integer when !TryParseInteger(value, out _) => $"invalid int value [{value}]",
            ParameterKind.Float when !TryParseFloat(value, out _) => $"invalid float value [{value}]",
            ParameterKind.Boolean when !TryParseBoolean(value, out _) => $"invalid bool value [{value}]",
            _ => null,
        };
    }

    /// <summary>Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits.</summary>
    public static bool TryParseInteger(string text, out long value) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>A finite decimal or exponent float (Go's ParseFloat minus hex/inf/nan forms).</summary>
    public static bool TryParseFloat(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <summary>Go's strconv.ParseBool: 1, t, T, TRUE, true, True and their false counterparts.</summary>
    public static bool TryParseBoolean(string text, out bool value)
    {
        switch (text)
        {
            case "1" or "t" or "T" or "TRUE" or "true" or "True":
                value = true;
                return true;
            case "0" or "f" or "F" or "FALSE" or "false" or "False":
                value = false;
                return true;
            default:
                value = false;
                return false;
        }
    }

    /// <summary>
    /// The JSON object of a <c>params</c> layer for these PARAMETER commands: typed values,
    /// string arrays gathered across lines, later lines winning otherwise, deprecated names
    /// left out, keys sorted as Go writes a map.
    /// </summary>
    public static byte[] ToParamsJson(IEnumerable<ModelfileCommand> commands)
    {
        var scalars = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var arrays = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            if (command.Kind != ModelfileCommandKind.Parameter || command.Name is null
                || !TryGet(command.Name, out var definition) || definition.IsDeprecated)
            {
                continue;
            }

            if (definition.Kind == ParameterKind.StringArray)
            {
                if (!arrays.TryGetValue(command.Name, out var list))
                {
                    arrays[command.Name] = list = [];
                }

                list.Add(command.Value);
            }
            else
            {
                scalars[command.Name] = command.Value;
            }
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var key in scalars.Keys.Concat(arrays.Keys).Order(StringComparer.Ordinal))
            {
                writer.WritePropertyName(key);
                if (arrays.TryGetValue(key, out var list))
                {
                    writer.WriteStartArray();
                    list.ForEach(writer.WriteStringValue);
                    writer.WriteEndArray();
                    continue;
                }

                var text = scalars[key];
                switch (Known[key].Kind)
                {
                    case ParameterKind.Integer when TryParseInteger(text, out var l):
                        writer.WriteNumberValue(l);
                        break;
                    case ParameterKind.Float when TryParseFloat(text, out var d):
                        writer.WriteNumberValue(d);
                        break;
                    case ParameterKind.Boolean when TryParseBoolean(text, out var b):
                        writer.WriteBooleanValue(b);
                        break;
                    default:
                        throw new FormatException(Validate(key, text) ?? $"invalid value for {key}");
                }
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// PARAMETER commands for a <c>params</c> layer's JSON (for <c>show --modelfile</c>): one
    /// command per scalar, one per array element, numbers in their JSON spelling.
    /// </summary>
    public static IReadOnlyList<ModelfileCommand> FromParamsJson(ReadOnlySpan<byte> json)
    {
        var commands = new List<ModelfileCommand>();
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("params layer is not a JSON object");
        }

        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    commands.Add(new ModelfileCommand(ModelfileCommandKind.Parameter, ScalarText(item), property.Name));
                }
            }
            else
            {
                commands.Add(new ModelfileCommand(ModelfileCommandKind.Parameter, ScalarText(property.Value), property.Name));
            }
        }

        return commands;
    }

    private static string ScalarText(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => element.GetRawText(),
    };
}
