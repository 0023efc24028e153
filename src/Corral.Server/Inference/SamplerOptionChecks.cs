using System.Globalization;
using Corral.Api.Ollama;
using Corral.Server.Http;

namespace Corral.Server.Inference;

/// <summary>
/// Range checks for the llama.cpp samplers Ollama lacks (top_n_sigma, XTC, DRY), on the merged options, so a bad
/// Modelfile PARAMETER is refused like a bad request option. Values that can only mean a mistake (a negative or
/// non-finite multiplier, a probability outside [0, 1]) are 400s rather than llama-server's silent clamps; the
/// sequence breakers are bounded because llama.cpp walks the whole vocabulary once per breaker when it builds DRY.
/// </summary>
internal static class SamplerOptionChecks
{
    /// <summary>The most DRY sequence breakers a request may carry.</summary>
    public const int MaxSequenceBreakers = 64;

    /// <summary>The longest DRY sequence breaker, in characters (llama.cpp itself reads only its first 40 bytes).</summary>
    public const int MaxSequenceBreakerLength = 64;

    public static void Check(ModelOptions options)
    {
        if (options.TopNSigma is { } sigma && !float.IsFinite(sigma))
        {
            throw Invalid("top_n_sigma", sigma, "must be a finite number (0 or less is off)");
        }

        if (options.XtcProbability is { } probability && !(probability is >= 0f and <= 1f))
        {
            throw Invalid("xtc_probability", probability, "must be between 0 (off) and 1");
        }

        if (options.XtcThreshold is { } threshold && !(threshold is >= 0f and <= 1f))
        {
            throw Invalid("xtc_threshold", threshold, "must be between 0 and 1 (over 0.5 is off)");
        }

        if (options.DryMultiplier is { } multiplier && !(multiplier >= 0f && float.IsFinite(multiplier)))
        {
            throw Invalid("dry_multiplier", multiplier, "must be a finite number of at least 0 (0 is off)");
        }

        if (options.DryBase is { } dryBase && !(dryBase >= 1f && float.IsFinite(dryBase)))
        {
            throw Invalid("dry_base", dryBase, "must be a finite number of at least 1");
        }

        if (options.DryAllowedLength is < 0)
        {
            throw ApiException.BadRequest($"invalid dry_allowed_length {options.DryAllowedLength}: must be at least 0");
        }

        if (options.DryPenaltyLastN is < -1)
        {
            throw ApiException.BadRequest($"invalid dry_penalty_last_n {options.DryPenaltyLastN}: must be -1 (the context), 0 (off) or more");
        }

        CheckBreakers(options.DrySequenceBreakers);
    }

    private static void CheckBreakers(IReadOnlyList<string>? breakers)
    {
        if (breakers is null)
        {
            return;
        }

        if (breakers.Count > MaxSequenceBreakers)
        {
            throw ApiException.BadRequest($"too many dry_sequence_breakers ({breakers.Count}): at most {MaxSequenceBreakers}");
        }

        foreach (var breaker in breakers)
        {
            if (breaker.Length > MaxSequenceBreakerLength)
            {
                throw ApiException.BadRequest($"dry_sequence_breakers entry too long ({breaker.Length} characters): at most {MaxSequenceBreakerLength}");
            }

            if (breaker.Contains('\0', StringComparison.Ordinal))
            {
                throw ApiException.BadRequest("dry_sequence_breakers entries must not contain NUL characters");
            }
        }
    }

    private static ApiException Invalid(string name, float value, string rule) =>
        ApiException.BadRequest($"invalid {name} {value.ToString(CultureInfo.InvariantCulture)}: {rule}");
}
