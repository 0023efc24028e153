using Corral.Api.Ollama;

namespace Corral.Server.Inference;

/// <summary>Runner logprobs → Ollama's wire shape.</summary>
public static class LogprobMapping
{
    public static List<Logprob>? Map(List<Runner.Protocol.TokenLogprob>? source)
    {
        if (source is not { Count: > 0 })
        {
            return null;
        }

        var result = new List<Logprob>(source.Count);
        foreach (var l in source)
        {
            result.Add(new Logprob
            {
                Token = l.Token,
                Value = l.Logprob,
                Bytes = l.Bytes,
                TopLogprobs = l.TopLogprobs?.Select(t => new Api.Ollama.TokenLogprob { Token = t.Token, Value = t.Logprob, Bytes = t.Bytes }).ToList(),
            });
        }

        return result;
    }
}
