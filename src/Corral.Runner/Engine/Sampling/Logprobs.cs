using System.Text;
using Corral.Llama;
using Corral.Runner.Protocol;

namespace Corral.Runner.Engine.Sampling;

/// <summary>Log-probabilities of the model's raw distribution at one position (before sampling transforms).</summary>
internal static class Logprobs
{
    public static TokenLogprob Compute(LlamaVocab vocab, ReadOnlySpan<float> logits, LlamaToken chosen, int top)
    {
        var max = float.NegativeInfinity;
        foreach (var l in logits)
        {
            if (l > max)
            {
                max = l;
            }
        }

        double sum = 0;
        foreach (var l in logits)
        {
            sum += Math.Exp(l - max);
        }

        var logZ = max + Math.Log(sum);
        var result = Describe(vocab, chosen, logits[chosen.Value] - logZ);
        if (top > 0)
        {
            top = Math.Min(top, 20);
            var best = new (int Id, float Logit)[top];
            var count = 0;
            for (var i = 0; i < logits.Length; i++)
            {
                var l = logits[i];
                if (count < top)
                {
                    best[count++] = (i, l);
                    SiftUp(best, count);
                }
                else if (l > best[count - 1].Logit)
                {
                    best[count - 1] = (i, l);
                    SiftUp(best, count);
                }
            }

            result.TopLogprobs = new List<TokenLogprob>(count);
            for (var i = 0; i < count; i++)
            {
                result.TopLogprobs.Add(Describe(vocab, new LlamaToken(best[i].Id), best[i].Logit - logZ));
            }
        }

        return result;
    }

    /// <summary>Keeps <paramref name="items"/>[..count] sorted descending after its last element changed.</summary>
    private static void SiftUp((int Id, float Logit)[] items, int count)
    {
        for (var i = count - 1; i > 0 && items[i].Logit > items[i - 1].Logit; i--)
        {
            (items[i], items[i - 1]) = (items[i - 1], items[i]);
        }
    }

    private static TokenLogprob Describe(LlamaVocab vocab, LlamaToken token, double logprob)
    {
        Span<byte> buffer = stackalloc byte[256];
        var n = Math.Max(0, vocab.TokenToPiece(token, buffer, special: true));
        var bytes = new int[n];
        for (var i = 0; i < n; i++)
        {
            bytes[i] = buffer[i];
        }

        return new TokenLogprob
        {
            Token = Encoding.UTF8.GetString(buffer[..n]),
            Logprob = logprob,
            Bytes = bytes,
        };
    }
}
