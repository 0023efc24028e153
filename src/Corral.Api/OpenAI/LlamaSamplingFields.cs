using System.Text.Json.Serialization;

namespace Corral.Api.OpenAI;

/// <summary>
/// llama-server's extra sampling fields that a <c>/v1</c> request may carry beside OpenAI's own (clients written for
/// llama-server send them at the top level of the body). They become the native options of the same names. The
/// completion and chat completion requests both derive from this, so the fields are declared once.
/// </summary>
public abstract class LlamaSamplingFields
{
    [JsonPropertyName("top_k")]
    public int? TopK { get; set; }

    [JsonPropertyName("min_p")]
    public float? MinP { get; set; }

    [JsonPropertyName("typical_p")]
    public float? TypicalP { get; set; }

    [JsonPropertyName("top_n_sigma")]
    public float? TopNSigma { get; set; }

    [JsonPropertyName("xtc_probability")]
    public float? XtcProbability { get; set; }

    [JsonPropertyName("xtc_threshold")]
    public float? XtcThreshold { get; set; }

    [JsonPropertyName("dry_multiplier")]
    public float? DryMultiplier { get; set; }

    [JsonPropertyName("dry_base")]
    public float? DryBase { get; set; }

    [JsonPropertyName("dry_allowed_length")]
    public int? DryAllowedLength { get; set; }

    [JsonPropertyName("dry_penalty_last_n")]
    public int? DryPenaltyLastN { get; set; }

    [JsonPropertyName("dry_sequence_breakers")]
    public IReadOnlyList<string>? DrySequenceBreakers { get; set; }
}
