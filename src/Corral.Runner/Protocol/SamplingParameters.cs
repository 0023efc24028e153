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

    /// <summary>-1 draws a random seed per request, as Ollama does.</summary>
    [JsonPropertyName("seed")] public long Seed { get; set; } = -1;

    [JsonPropertyName("logit_bias")] public Dictionary<int, float>? LogitBias { get; set; }

    /// <summary>A GBNF grammar (structured outputs) applied after the cheap samplers.</summary>
    [JsonPropertyName("grammar")] public string? Grammar { get; set; }
}
