using Corral.Api.Json;
using Corral.Api.Ollama;
using Corral.Api.OpenAI;
using Corral.Server.Http;

namespace Corral.Server.OpenAI;

/// <summary>OpenAI sampling fields → Ollama <c>options</c>, with Ollama's OpenAI-layer defaults.</summary>
internal static class SamplingTranslation
{
    /// <summary>
    /// Like Ollama's OpenAI layer, an absent temperature or top_p means OpenAI's default 1.0 (not the
    /// Modelfile's value), so answers match what Ollama gives the same request.
    /// </summary>
    public static ModelOptions Options(int? maxTokens, float? temperature, float? topP, int? seed, StringOrArray? stop, float? frequencyPenalty, float? presencePenalty)
    {
        if (maxTokens is < 0)
        {
            throw ApiException.BadRequest("max_tokens must be at least 0");
        }

        if (temperature is < 0 or > 2)
        {
            throw ApiException.BadRequest("temperature must be between 0 and 2");
        }

        if (topP is < 0 or > 1)
        {
            throw ApiException.BadRequest("top_p must be between 0 and 1");
        }

        return new ModelOptions
        {
            NumPredict = maxTokens,
            Temperature = temperature ?? 1f,
            TopP = topP ?? 1f,
            Seed = seed,
            Stop = stop is { Values.Count: > 0 } s ? s.Values : null,
            FrequencyPenalty = frequencyPenalty,
            PresencePenalty = presencePenalty,
        };
    }

    /// <summary>
    /// llama-server's extra fields (top_k, min_p, typical_p, top_n_sigma, xtc_*, dry_*) onto <paramref name="options"/>, under the same
    /// names; absent ones stay unset, so the Modelfile's values apply. Their ranges are checked with the native options.
    /// </summary>
    public static ModelOptions WithLlamaSamplers(this ModelOptions options, LlamaSamplingFields fields)
    {
        options.TopK = fields.TopK;
        options.MinP = fields.MinP;
        options.TypicalP = fields.TypicalP;
        options.TopNSigma = fields.TopNSigma;
        options.XtcProbability = fields.XtcProbability;
        options.XtcThreshold = fields.XtcThreshold;
        options.DryMultiplier = fields.DryMultiplier;
        options.DryBase = fields.DryBase;
        options.DryAllowedLength = fields.DryAllowedLength;
        options.DryPenaltyLastN = fields.DryPenaltyLastN;
        options.DrySequenceBreakers = fields.DrySequenceBreakers;
        return options;
    }

    /// <summary>
    /// <c>logit_bias</c> maps token ids (as strings) to a bias in [-100, 100]; the runner adds it to the
    /// logits before sampling, so -100 bans a token and 100 all but forces it.
    /// </summary>
    public static Dictionary<int, float>? LogitBias(Dictionary<string, float>? bias)
    {
        if (bias is not { Count: > 0 })
        {
            return null;
        }

        var result = new Dictionary<int, float>(bias.Count);
        foreach (var (key, value) in bias)
        {
            if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var token))
            {
                throw ApiException.BadRequest($"logit_bias keys must be token ids, got \"{key}\"");
            }

            if (value is < -100 or > 100 || float.IsNaN(value))
            {
                throw ApiException.BadRequest($"logit_bias value for token {token} must be between -100 and 100");
            }

            result[token] = value;
        }

        return result;
    }

    public static int ChoiceCount(int? n)
    {
        const int Max = 16;
        return n switch
        {
            null => 1,
            < 1 or > Max => throw ApiException.BadRequest($"n must be between 1 and {Max}"),
            { } value => value,
        };
    }
}
