namespace Corral.Bench.Soak;

/// <summary>
/// The weighted mix each client draws from. Inference dominates (the chat model's slots are the scarce resource);
/// the cheap metadata routes come often enough to run while those slots are busy, as an app polling /api/ps would.
/// </summary>
internal static class TrafficMix
{
    public const string Disconnect = "disconnect mid-stream";

    public static IReadOnlyList<SoakAction> Actions { get; } =
    [
        new("POST /api/generate stream", 10, static (c, t) => c.GenerateAsync(stream: true, t)),
        new("POST /api/generate", 7, static (c, t) => c.GenerateAsync(stream: false, t)),
        new("POST /api/chat stream", 10, static (c, t) => c.ChatAsync(stream: true, t)),
        new("POST /api/chat", 7, static (c, t) => c.ChatAsync(stream: false, t)),
        new("POST /api/embed", 10, static (c, t) => c.EmbedAsync(t)),
        new("POST /v1/chat/completions stream", 8, static (c, t) => c.OpenAIChatAsync(stream: true, t)),
        new("POST /v1/chat/completions", 6, static (c, t) => c.OpenAIChatAsync(stream: false, t)),
        new("POST /v1/embeddings", 8, static (c, t) => c.OpenAIEmbeddingsAsync(t)),
        new("GET /api/tags", 6, static (c, t) => c.TagsAsync(t)),
        new("GET /api/ps", 6, static (c, t) => c.PsAsync(t)),
        new("POST /api/show", 6, static (c, t) => c.ShowAsync(t)),
        new(Disconnect, 8, static (c, t) => c.DisconnectMidStreamAsync(t)),
    ];

    private static readonly int TotalWeight = Actions.Sum(a => a.Weight);

    public static SoakAction Pick(Random random)
    {
        var at = random.Next(TotalWeight);
        foreach (var action in Actions)
        {
            if ((at -= action.Weight) < 0)
            {
                return action;
            }
        }

        throw new InvalidOperationException("unreachable: weights add up to TotalWeight");
    }
}
