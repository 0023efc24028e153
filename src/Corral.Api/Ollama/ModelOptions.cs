using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Api.Ollama;

/// <summary>
/// Ollama's <c>options</c> object (also Modelfile <c>PARAMETER</c>s and the <c>params</c> layer). Every field is
/// nullable so "unset" differs from "set to the default"; layer them with <see cref="Merge"/>
/// (<c>Defaults.Merge(modelfile).Merge(request)</c>). JSON names and types follow Ollama's <c>api.Options</c>.
/// Unknown names in a request are ignored and listed in <see cref="UnknownKeys"/> so the caller can log a
/// warning, as Ollama does ("invalid option provided"). Names Ollama dropped (mirostat*, penalize_newline,
/// numa, low_vram, use_mlock) are still typed here because llama.cpp can honour them; f16_kv, logits_all,
/// vocab_only and tfs_z are accepted and ignored. llama.cpp's samplers that Ollama lacks (top_n_sigma, xtc_*, dry_*)
/// are Corral's additions, under llama-server's names and defaults.
/// </summary>
[JsonConverter(typeof(ModelOptionsJsonConverter))]
public sealed class ModelOptions
{
    private static readonly OptionDescriptor[] Descriptors =
    [
        // Runner options: fixed when the model is loaded.
        new("num_ctx", OptionKind.Integer, o => o.NumCtx, (o, v) => o.NumCtx = (int?)v),
        new("num_batch", OptionKind.Integer, o => o.NumBatch, (o, v) => o.NumBatch = (int?)v),
        new("num_gpu", OptionKind.Integer, o => o.NumGpu, (o, v) => o.NumGpu = (int?)v),
        new("main_gpu", OptionKind.Integer, o => o.MainGpu, (o, v) => o.MainGpu = (int?)v),
        new("use_mmap", OptionKind.Boolean, o => o.UseMmap, (o, v) => o.UseMmap = (bool?)v),
        new("num_thread", OptionKind.Integer, o => o.NumThread, (o, v) => o.NumThread = (int?)v),
        new("numa", OptionKind.Boolean, o => o.Numa, (o, v) => o.Numa = (bool?)v),
        new("low_vram", OptionKind.Boolean, o => o.LowVram, (o, v) => o.LowVram = (bool?)v),
        new("use_mlock", OptionKind.Boolean, o => o.UseMlock, (o, v) => o.UseMlock = (bool?)v),

        // Prediction options: per request.
        new("num_keep", OptionKind.Integer, o => o.NumKeep, (o, v) => o.NumKeep = (int?)v),
        new("seed", OptionKind.Integer, o => o.Seed, (o, v) => o.Seed = (int?)v),
        new("num_predict", OptionKind.Integer, o => o.NumPredict, (o, v) => o.NumPredict = (int?)v),
        new("draft_num_predict", OptionKind.Integer, o => o.DraftNumPredict, (o, v) => o.DraftNumPredict = (int?)v),
        new("top_k", OptionKind.Integer, o => o.TopK, (o, v) => o.TopK = (int?)v),
        new("top_p", OptionKind.Float, o => o.TopP, (o, v) => o.TopP = (float?)v),
        new("min_p", OptionKind.Float, o => o.MinP, (o, v) => o.MinP = (float?)v),
        new("typical_p", OptionKind.Float, o => o.TypicalP, (o, v) => o.TypicalP = (float?)v),
        new("repeat_last_n", OptionKind.Integer, o => o.RepeatLastN, (o, v) => o.RepeatLastN = (int?)v),
        new("temperature", OptionKind.Float, o => o.Temperature, (o, v) => o.Temperature = (float?)v),
        new("repeat_penalty", OptionKind.Float, o => o.RepeatPenalty, (o, v) => o.RepeatPenalty = (float?)v),
        new("presence_penalty", OptionKind.Float, o => o.PresencePenalty, (o, v) => o.PresencePenalty = (float?)v),
        new("frequency_penalty", OptionKind.Float, o => o.FrequencyPenalty, (o, v) => o.FrequencyPenalty = (float?)v),
        new("mirostat", OptionKind.Integer, o => o.Mirostat, (o, v) => o.Mirostat = (int?)v),
        new("mirostat_tau", OptionKind.Float, o => o.MirostatTau, (o, v) => o.MirostatTau = (float?)v),
        new("mirostat_eta", OptionKind.Float, o => o.MirostatEta, (o, v) => o.MirostatEta = (float?)v),
        new("penalize_newline", OptionKind.Boolean, o => o.PenalizeNewline, (o, v) => o.PenalizeNewline = (bool?)v),
        new("stop", OptionKind.StringArray, o => o.Stop, (o, v) => o.Stop = (IReadOnlyList<string>?)v),

        // llama.cpp samplers Ollama lacks (ollama/ollama#7504), named as llama-server names them.
        new("top_n_sigma", OptionKind.Float, o => o.TopNSigma, (o, v) => o.TopNSigma = (float?)v),
        new("xtc_probability", OptionKind.Float, o => o.XtcProbability, (o, v) => o.XtcProbability = (float?)v),
        new("xtc_threshold", OptionKind.Float, o => o.XtcThreshold, (o, v) => o.XtcThreshold = (float?)v),
        new("dry_multiplier", OptionKind.Float, o => o.DryMultiplier, (o, v) => o.DryMultiplier = (float?)v),
        new("dry_base", OptionKind.Float, o => o.DryBase, (o, v) => o.DryBase = (float?)v),
        new("dry_allowed_length", OptionKind.Integer, o => o.DryAllowedLength, (o, v) => o.DryAllowedLength = (int?)v),
        new("dry_penalty_last_n", OptionKind.Integer, o => o.DryPenaltyLastN, (o, v) => o.DryPenaltyLastN = (int?)v),
        new("dry_sequence_breakers", OptionKind.StringArray, o => o.DrySequenceBreakers, (o, v) => o.DrySequenceBreakers = (IReadOnlyList<string>?)v),
    ];

    private static readonly Dictionary<string, OptionDescriptor> ByName = Descriptors.ToDictionary(d => d.Name, StringComparer.Ordinal);

    // Options Ollama once had and now ignores; accepted silently so old Modelfiles keep working.
    private static readonly HashSet<string> IgnoredNames = new(StringComparer.Ordinal) { "f16_kv", "logits_all", "vocab_only", "tfs_z" };

    public int? NumCtx { get; set; }

    /// <summary>Tokens the draft model proposes per step (speculative decoding); 0 turns it off. Default 4.</summary>
    public int? DraftNumPredict { get; set; }

    public int? NumBatch { get; set; }

    public int? NumGpu { get; set; }

    public int? MainGpu { get; set; }

    public bool? UseMmap { get; set; }

    public int? NumThread { get; set; }

    public bool? Numa { get; set; }

    public bool? LowVram { get; set; }

    public bool? UseMlock { get; set; }

    public int? NumKeep { get; set; }

    public int? Seed { get; set; }

    public int? NumPredict { get; set; }

    public int? TopK { get; set; }

    public float? TopP { get; set; }

    public float? MinP { get; set; }

    public float? TypicalP { get; set; }

    public int? RepeatLastN { get; set; }

    public float? Temperature { get; set; }

    public float? RepeatPenalty { get; set; }

    public float? PresencePenalty { get; set; }

    public float? FrequencyPenalty { get; set; }

    public int? Mirostat { get; set; }

    public float? MirostatTau { get; set; }

    public float? MirostatEta { get; set; }

    public bool? PenalizeNewline { get; set; }

    public IReadOnlyList<string>? Stop { get; set; }

    /// <summary>Top-nσ: keep tokens within this many standard deviations of the top logit; 0 or less is off.</summary>
    public float? TopNSigma { get; set; }

    /// <summary>XTC: chance per token of removing the top choices; 0 is off.</summary>
    public float? XtcProbability { get; set; }

    /// <summary>XTC: only choices at least this likely are removed (all but the least likely of them); over 0.5 is off.</summary>
    public float? XtcThreshold { get; set; }

    /// <summary>DRY: penalty scale for tokens that extend a repeat; 0 is off.</summary>
    public float? DryMultiplier { get; set; }

    /// <summary>DRY: the penalty grows as this power of how far the repeat runs past the allowed length.</summary>
    public float? DryBase { get; set; }

    /// <summary>DRY: repeats up to this many tokens long go unpenalised.</summary>
    public int? DryAllowedLength { get; set; }

    /// <summary>DRY: how many recent tokens are scanned for repeats; -1 is the context, 0 is off.</summary>
    public int? DryPenaltyLastN { get; set; }

    /// <summary>DRY: strings a repeat never reaches across; an empty list is none.</summary>
    public IReadOnlyList<string>? DrySequenceBreakers { get; set; }

    /// <summary>Names that were present in the JSON but are not options (ignored; log a warning).</summary>
    public IReadOnlyList<string>? UnknownKeys { get; internal set; }

    /// <summary>
    /// Ollama's defaults (<c>api.DefaultOptions</c>). num_ctx is 4096; the server replaces it with
    /// <c>OLLAMA_CONTEXT_LENGTH</c> when that is set. num_gpu -1 means "decide from free memory".
    /// Returns a fresh copy each time, so callers may modify it.
    /// </summary>
    public static ModelOptions Defaults => new()
    {
        NumPredict = -1,
        DraftNumPredict = 4,
        NumKeep = 4,
        Temperature = 0.8f,
        TopK = 40,
        TopP = 0.9f,
        MinP = 0.0f,
        TypicalP = 1.0f,
        RepeatLastN = 64,
        RepeatPenalty = 1.1f,
        PresencePenalty = 0.0f,
        FrequencyPenalty = 0.0f,
        Mirostat = 0,
        MirostatTau = 5.0f,
        MirostatEta = 0.1f,
        Seed = -1,
        NumCtx = 4096,
        NumBatch = 512,
        NumGpu = -1,
        NumThread = 0,

        // llama-server's defaults: every one of these samplers off.
        TopNSigma = -1.0f,
        XtcProbability = 0.0f,
        XtcThreshold = 0.1f,
        DryMultiplier = 0.0f,
        DryBase = 1.75f,
        DryAllowedLength = 2,
        DryPenaltyLastN = 64,
        DrySequenceBreakers = ["\n", ":", "\"", "*"],
    };

    /// <summary>Every option name this type understands, in Ollama's order.</summary>
    public static IEnumerable<string> KnownNames => Descriptors.Select(d => d.Name);

    public static bool IsKnownName(string name) => ByName.ContainsKey(name);

    public static OptionKind? KindOf(string name) => ByName.TryGetValue(name, out var d) ? d.Kind : null;

    /// <summary>A new instance: this one's values, overridden by every value that <paramref name="over"/> sets.</summary>
    public ModelOptions Merge(ModelOptions? over)
    {
        var result = new ModelOptions();
        foreach (var descriptor in Descriptors)
        {
            descriptor.Set(result, descriptor.Get(over ?? this) ?? descriptor.Get(this));
        }

        return result;
    }

    /// <summary>True when no option is set.</summary>
    public bool IsEmpty => Descriptors.All(d => d.Get(this) is null);

    /// <summary>
    /// Builds options from a name → JSON value map (the <c>params</c> layer, <c>/api/create</c> <c>parameters</c>).
    /// Throws <see cref="ArgumentException"/> (ParamName = the key) for a wrong type, and, unless
    /// <paramref name="ignoreUnknown"/>, for an unknown name ("unknown parameter 'foo'", Ollama's Modelfile text).
    /// JSON null values are skipped, as in Ollama.
    /// </summary>
    public static ModelOptions FromMap(IReadOnlyDictionary<string, JsonElement> map, bool ignoreUnknown = false)
    {
        var options = new ModelOptions();
        List<string>? unknown = null;
        foreach (var (key, value) in map)
        {
            if (!options.TrySet(key, value, out var error))
            {
                if (error is not null)
                {
                    throw new InvalidOptionException(error, key);
                }

                if (!ignoreUnknown)
                {
                    throw new InvalidOptionException($"unknown parameter '{key}'", key);
                }

                (unknown ??= []).Add(key);
            }
        }

        options.UnknownKeys = unknown;
        return options;
    }

    /// <summary>
    /// Builds options from Modelfile <c>PARAMETER name value</c> pairs (text values; repeated <c>stop</c>
    /// accumulates). Errors use Ollama's texts: "unknown parameter 'x'", "invalid float value [x]".
    /// </summary>
    public static ModelOptions FromParameters(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var options = new ModelOptions();
        foreach (var (key, text) in parameters)
        {
            if (IgnoredNames.Contains(key))
            {
                continue;
            }

            if (!ByName.TryGetValue(key, out var descriptor))
            {
                throw new InvalidOptionException($"unknown parameter '{key}'", key);
            }

            object value = descriptor.Kind switch
            {
                OptionKind.Integer => long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) && l is >= int.MinValue and <= int.MaxValue
                    ? (int)l
                    : throw new InvalidOptionException($"invalid int value [{text}]", key),
                OptionKind.Float => float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)
                    ? f
                    : throw new InvalidOptionException($"invalid float value [{text}]", key),
                OptionKind.Boolean => ParseGoBool(text) ?? throw new InvalidOptionException($"invalid bool value [{text}]", key),
                _ => ((IReadOnlyList<string>?)descriptor.Get(options) ?? []).Append(text).ToArray(), // repeated lines accumulate
            };
            descriptor.Set(options, value);
        }

        return options;
    }

    /// <summary>Name → value of every set option, in Ollama's order (int, float, bool or string list values).</summary>
    public IEnumerable<KeyValuePair<string, object>> SetValues()
    {
        foreach (var descriptor in Descriptors)
        {
            if (descriptor.Get(this) is { } value)
            {
                yield return new(descriptor.Name, value);
            }
        }
    }

    /// <summary>Applies one JSON value. False with a null error for an unknown name; false with an error for a bad type.</summary>
    internal bool TrySet(string key, JsonElement value, out string? error)
    {
        error = null;
        if (!ByName.TryGetValue(key, out var descriptor))
        {
            return IgnoredNames.Contains(key);
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        switch (descriptor.Kind)
        {
            case OptionKind.Integer when value.ValueKind == JsonValueKind.Number:
                // Go decodes JSON numbers as float64 and truncates them into int fields.
                descriptor.Set(this, value.TryGetInt32(out var i) ? i : (int)Math.Clamp(Math.Truncate(value.GetDouble()), int.MinValue, int.MaxValue));
                return true;
            case OptionKind.Integer:
                error = $"option \"{key}\" must be of type integer";
                return false;
            case OptionKind.Float when value.ValueKind == JsonValueKind.Number:
                descriptor.Set(this, (float)value.GetDouble());
                return true;
            case OptionKind.Float:
                error = $"option \"{key}\" must be of type float32";
                return false;
            case OptionKind.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                descriptor.Set(this, value.GetBoolean());
                return true;
            case OptionKind.Boolean:
                error = $"option \"{key}\" must be of type boolean";
                return false;
            case OptionKind.StringArray when value.ValueKind == JsonValueKind.Array:
                var items = new string[value.GetArrayLength()];
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        error = $"option \"{key}\" must be of an array of strings";
                        return false;
                    }

                    items[index++] = item.GetString()!;
                }

                descriptor.Set(this, items);
                return true;
            default:
                error = $"option \"{key}\" must be of type array";
                return false;
        }
    }

    internal void SetUnknownKeys(IReadOnlyList<string>? keys) => UnknownKeys = keys;

    internal static OptionDescriptor[] AllDescriptors => Descriptors;

    // Go's strconv.ParseBool.
    private static bool? ParseGoBool(string text) => text switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
