using System.Text;
using Corral.Runner.Client;
using Corral.Runner.Protocol;
using Corral.TestModels;

namespace Corral.Runner.Tests;

/// <summary>A whole completion read from a runner: the text and the final chunk.</summary>
public sealed record RunnerCompletion(string Text, CompletionChunk Final, int ContentChunks)
{
    /// <summary>The first generated token's logprob entry (with its alternatives), when logprobs were asked for.</summary>
    public TokenLogprob? FirstLogprob { get; init; }

    public static async Task<RunnerCompletion> RunAsync(RunnerClient client, CompletionRequest request, CancellationToken cancellation = default)
    {
        var text = new StringBuilder();
        CompletionChunk? final = null;
        var chunks = 0;
        TokenLogprob? firstLogprob = null;
        await foreach (var chunk in client.CompleteAsync(request, cancellation))
        {
            firstLogprob ??= chunk.Logprobs?.FirstOrDefault();
            if (chunk.Done)
            {
                final = chunk;
            }
            else
            {
                text.Append(chunk.Content);
                chunks++;
            }
        }

        return new RunnerCompletion(text.ToString(), final ?? throw new InvalidOperationException("no final chunk"), chunks) { FirstLogprob = firstLogprob };
    }

    /// <summary>A logit bias that keeps every end-of-generation token away, so that the random model runs to num_predict.</summary>
    public static async Task<Dictionary<int, float>> EndOfGenerationBannedAsync(RunnerClient client)
    {
        var bias = new Dictionary<int, float>();
        foreach (var special in new[] { ByteLevelBpeVocab.EndOfText, ByteLevelBpeVocab.EndOfTurn })
        {
            foreach (var id in await client.TokenizeAsync(special, CancellationToken.None, addSpecial: false))
            {
                bias[id] = -1000f;
            }
        }

        return bias;
    }

    public static CompletionRequest Greedy(string prompt, int numPredict = -1, params string[] stop) => new()
    {
        Prompt = prompt,
        NumPredict = numPredict,
        Stop = stop.Length == 0 ? null : stop,
        Sampling = new SamplingParameters { Temperature = 0 },
    };
}
