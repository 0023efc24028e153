using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

/// <summary>
/// Everything that shapes how one request picks its tokens. Defaults are Ollama's,
/// so a request that sets nothing samples as Ollama would.
/// </summary>
public sealed class SamplingParameters
{
    [JsonPropertyName("temperature")] public float Temperature { get; set; } = 0.8f;
    [JsonPropertyName("top_k")] public int TopK { get; set; } = 40;
    [JsonPropertyName("top_p")] public float TopP { get; set; } = 0.9f;
    [JsonPropertyName("min_p")] public float MinP { get; set; }
    [JsonPropertyName("typical_p")] public float TypicalP { get; set; } = 1.0f;
    [JsonPropertyName("repeat_last_n")] public int RepeatLastN { get; set; } = 64;
    [JsonPropertyName("repeat_penalty")] public float RepeatPenalty { get; set; } = 1.1f;
    [JsonPropertyName("presence_penalty")] public float PresencePenalty { get; set; }
    [JsonPropertyName("frequency_penalty")] public float FrequencyPenalty { get; set; }
    [JsonPropertyName("mirostat")] public int Mirostat { get; set; }
    [JsonPropertyName("mirostat_tau")] public float MirostatTau { get; set; } = 5.0f;
    [JsonPropertyName("mirostat_eta")] public float MirostatEta { get; set; } = 0.1f;

    // llama.cpp's samplers that Ollama lacks, with llama-server's names and defaults (all off by default).

    /// <summary>Keeps tokens within n standard deviations of the top logit; 0 or less is off.</summary>
    [JsonPropertyName("top_n_sigma")] public float TopNSigma { get; set; } = -1f;

    /// <summary>Chance per token that XTC removes the top choices; 0 is off.</summary>
    [JsonPropertyName("xtc_probability")] public float XtcProbability { get; set; }

    /// <summary>XTC removes only choices at least this likely (all but the least likely of them); over 0.5 is off.</summary>
    [JsonPropertyName("xtc_threshold")] public float XtcThreshold { get; set; } = 0.1f;

    /// <summary>DRY penalty scale; 0 is off.</summary>
    [JsonPropertyName("dry_multiplier")] public float DryMultiplier { get; set; }

    [JsonPropertyName("dry_base")] public float DryBase { get; set; } = 1.75f;

    /// <summary>Repeats up to this many tokens long go unpenalised.</summary>
    [JsonPropertyName("dry_allowed_length")] public int DryAllowedLength { get; set; } = 2;

    /// <summary>How many recent tokens DRY scans; -1 (or more than the context) is the context, 0 is off.</summary>
    [JsonPropertyName("dry_penalty_last_n")] public int DryPenaltyLastN { get; set; } = 64;

    /// <summary>Strings a repeat never reaches across; null is llama-server's default set, empty is none.</summary>
    [JsonPropertyName("dry_sequence_breakers")] public string[]? DrySequenceBreakers { get; set; }

    /// <summary>-1 draws a random seed per request, as Ollama does.</summary>
    [JsonPropertyName("seed")] public long Seed { get; set; } = -1;

    [JsonPropertyName("logit_bias")] public Dictionary<int, float>? LogitBias { get; set; }

    /// <summary>A GBNF grammar (structured outputs) applied after the cheap samplers.</summary>
    [JsonPropertyName("grammar")] public string? Grammar { get; set; }
}
