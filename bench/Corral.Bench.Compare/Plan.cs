namespace Corral.Bench.Compare;

/// <summary>
/// Every prompt of a run, made before the servers start. Both servers get the same prompts in a round (each
/// sees each prompt once); no prompt recurs across rounds, scenarios or the warm-up.
/// </summary>
internal sealed class Plan
{
    /// <summary>Tokens of the tail after a shared prefix.</summary>
    public const int TailTokens = 16;

    private Plan(IReadOnlyList<string> warmup, IReadOnlyList<RoundPlan> rounds, IReadOnlyList<string> embeddingInputs)
    {
        Warmup = warmup;
        Rounds = rounds;
        EmbeddingInputs = embeddingInputs;
    }

    public IReadOnlyList<string> Warmup { get; }

    public IReadOnlyList<RoundPlan> Rounds { get; }

    /// <summary>Inputs the embedding loops cycle through (embeddings are not cached, so repeats cost the same).</summary>
    public IReadOnlyList<string> EmbeddingInputs { get; }

    public static Plan Make(CompareOptions options, PromptFactory factory)
    {
        IReadOnlyList<string> Prompts(int count) => Enumerable.Range(0, count).Select(_ => factory.Fresh(options.PromptTokens)).ToList();
        var warmup = Prompts(options.Slots);
        var rounds = new List<RoundPlan>();
        for (var r = 0; r < options.Rounds; r++)
        {
            var clients = options.Scenarios.Contains(CompareOptions.ClientsScenario)
                ? options.Clients.Select(c => (c, (IReadOnlyList<IReadOnlyList<string>>)Enumerable.Range(0, c).Select(_ => Prompts(options.RequestsAt(c))).ToList())).ToList()
                : [];
            var prefix = new List<PrefixPrompts>();
            if (options.Scenarios.Contains(CompareOptions.PrefixScenario))
            {
                for (var i = 0; i < options.PrefixPairs; i++)
                {
                    var shared = factory.Fresh(options.PrefixTokens);
                    prefix.Add(new PrefixPrompts(
                        shared + factory.FreshTail(TailTokens),
                        shared + factory.FreshTail(TailTokens),
                        shared + factory.FreshTail(TailTokens),
                        shared + factory.FreshTail(TailTokens)));
                }
            }

            var mixed = options.Scenarios.Contains(CompareOptions.MixedScenario)
                ? Enumerable.Range(0, options.MixedClients).Select(_ => Prompts(options.MixedRequestsPerClient)).ToList()
                : [];
            rounds.Add(new RoundPlan(clients, prefix, mixed));
        }

        var embeddingInputs = options.Scenarios.Contains(CompareOptions.MixedScenario)
            ? Enumerable.Range(0, 256).Select(_ => factory.Fresh(options.PromptTokens)).ToList()
            : [];
        return new Plan(warmup, rounds, embeddingInputs);
    }
}
