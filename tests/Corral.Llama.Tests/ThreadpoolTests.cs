namespace Corral.Llama.Tests;

/// <summary>A persistent CPU threadpool attached to a context computes the same logits as ggml's throwaway pools.</summary>
public sealed class ThreadpoolTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public void A_context_with_an_attached_pool_decodes_the_same_logits_and_the_pool_detaches_cleanly()
    {
        var plain = Logits(pool: null);

        using (var pool = LlamaThreadpool.TryCreate(threads: 2))
        {
            Assert.NotNull(pool);
            var pooled = Logits(pool);
            Assert.Equal(plain, pooled);
        }

        Assert.Equal(plain, Logits(pool: null)); // nothing left behind in the backend
    }

    private float[] Logits(LlamaThreadpool? pool)
    {
        using var context = LlamaContext.Create(fixture.Model, new LlamaContextOptions
        {
            ContextSize = 128,
            BatchSize = 32,
            UBatchSize = 32,
            SeqMax = 1,
            Threads = 2,
            BatchThreads = 2,
        });
        pool?.AttachTo(context);
        try
        {
            var tokens = fixture.Model.Vocab.Tokenize("pooled threads decode the same", addSpecial: true, parseSpecial: false);
            using var batch = new LlamaBatch(32, 1);
            for (var i = 0; i < tokens.Length; i++)
            {
                batch.Add(tokens[i], i, new LlamaSeqId(0), logits: i == tokens.Length - 1);
            }

            context.Decode(batch);
            return context.GetLogits(tokens.Length - 1).ToArray();
        }
        finally
        {
            pool?.Detach();
        }
    }
}
