using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Sampling;

/// <summary>
/// Logit bias and the repeat/frequency/presence penalties, applied in place to the logits before llama.cpp's sampler
/// chain sees them, with llama.cpp's arithmetic and order (bias, then penalties). llama.cpp's penalties sampler looks
/// every one of the n_vocab candidates up in its token counts (128k hash lookups a token for a Llama-3 vocabulary,
/// about a millisecond); this touches only the few dozen tokens in the window. Its window also grows as tokens come
/// instead of being allocated up front at <c>repeat_last_n</c> entries.
/// </summary>
internal sealed class LogitAdjustments
{
    private readonly KeyValuePair<int, float>[] _bias;
    private readonly int _lastN;
    private readonly float _repeat;
    private readonly float _frequency;
    private readonly float _presence;
    private readonly Queue<int> _window = new();
    private readonly Dictionary<int, int> _counts = [];

    private LogitAdjustments(KeyValuePair<int, float>[] bias, int lastN, float repeat, float frequency, float presence)
    {
        _bias = bias;
        _lastN = lastN;
        _repeat = repeat;
        _frequency = frequency;
        _presence = presence;
    }

    /// <summary>The adjustments a request asks for, or null when it asks for none.</summary>
    /// <param name="p">The request's sampling parameters.</param>
    /// <param name="contextLength">The slot's context: repeat_last_n -1 means all of it, and more is never needed.</param>
    public static LogitAdjustments? Create(SamplingParameters p, int contextLength)
    {
        var bias = p.LogitBias is { Count: > 0 } b ? b.ToArray() : [];
        var lastN = p.RepeatLastN < 0 ? contextLength : Math.Min(p.RepeatLastN, contextLength);
        var penalize = lastN > 0 && (p.RepeatPenalty != 1.0f || p.FrequencyPenalty != 0f || p.PresencePenalty != 0f);
        if (bias.Length == 0 && !penalize)
        {
            return null;
        }

        return new LogitAdjustments(bias, penalize ? lastN : 0, p.RepeatPenalty, p.FrequencyPenalty, p.PresencePenalty);
    }

    /// <summary>A token the model saw (prompt) or produced: it counts in the penalty window from now on.</summary>
    public void Accept(LlamaToken token)
    {
        if (_lastN == 0 || token.Value < 0)
        {
            return;
        }

        if (_window.Count == _lastN)
        {
            var old = _window.Dequeue();
            if (--_counts[old] == 0)
            {
                _counts.Remove(old);
            }
        }

        _window.Enqueue(token.Value);
        _counts[token.Value] = _counts.GetValueOrDefault(token.Value) + 1;
    }

    public void Apply(Span<float> logits)
    {
        foreach (var (token, bias) in _bias)
        {
            if ((uint)token < (uint)logits.Length)
            {
                logits[token] += bias;
            }
        }

        foreach (var (token, count) in _counts)
        {
            if ((uint)token >= (uint)logits.Length)
            {
                continue;
            }

            // llama.cpp's rule: a positive logit is divided by the penalty, a negative one multiplied (so a penalty
            // always makes the token less likely), then frequency and presence are subtracted.
            ref var logit = ref logits[token];
            logit = logit <= 0 ? logit * _repeat : logit / _repeat;
            logit -= (count * _frequency) + _presence;
        }
    }
}
