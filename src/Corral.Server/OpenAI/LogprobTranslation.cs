using Corral.Api.OpenAI;
using RunnerLogprob = Corral.Runner.Protocol.TokenLogprob;

namespace Corral.Server.OpenAI;

/// <summary>Runner logprobs → OpenAI's chat and legacy completion shapes.</summary>
internal static class LogprobTranslation
{
    public static void AddChat(List<RunnerLogprob>? source, List<ChatTokenLogprob> target)
    {
        if (source is null)
        {
            return;
        }

        foreach (var l in source)
        {
            target.Add(new ChatTokenLogprob
            {
                Token = l.Token,
                Logprob = l.Logprob,
                Bytes = l.Bytes,
                TopLogprobs = l.TopLogprobs is { Count: > 0 } top
                    ? top.Select(t => new ChatTopLogprob { Token = t.Token, Logprob = t.Logprob, Bytes = t.Bytes }).ToList()
                    : [],
            });
        }
    }

    /// <summary>Appends tokens; <paramref name="offset"/> is where the first token starts in the choice's text.</summary>
    public static int AddCompletion(List<RunnerLogprob>? source, CompletionLogprobs target, int offset)
    {
        if (source is null)
        {
            return offset;
        }

        foreach (var l in source)
        {
            target.Tokens.Add(l.Token);
            target.TokenLogprobs.Add(l.Logprob);
            var top = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var t in l.TopLogprobs ?? [])
            {
                top.TryAdd(t.Token, t.Logprob);
            }

            target.TopLogprobs.Add(top);
            target.TextOffset.Add(offset);
            offset += l.Token.Length;
        }

        return offset;
    }
}
