using Corral.TestModels;

namespace Corral.Llama.Tests;

/// <summary>The models Corral's own generator writes load in llama.cpp and behave as designed.</summary>
public sealed class GeneratedModelTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("corral-gen-").FullName;

    public GeneratedModelTests() => LlamaBackend.EnsureInitialized();

    [Fact]
    public void Successor_model_greedy_decoding_produces_exactly_the_expected_tokens()
    {
        var path = Path.Combine(_folder, "successor.gguf");
        TestModelWriter.WriteSuccessor(path);
        using var model = LlamaModel.Load(path);
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextSize = 256, BatchSize = 64, Threads = 1, BatchThreads = 1 });
        using var batch = new LlamaBatch(64);
        using var sampler = new LlamaSamplerChain().AddGreedy();

        const string prompt = "hello a";
        var tokens = model.Vocab.Tokenize(prompt, addSpecial: true, parseSpecial: false);
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Add(tokens[i], i, new LlamaSeqId(0), logits: i == tokens.Length - 1);
        }

        context.Decode(batch);
        var expected = SuccessorModel.ExpectedContinuation(prompt, 100);
        var generated = new List<int>();
        var position = tokens.Length;
        while (generated.Count < 100)
        {
            var token = sampler.Sample(context, batch.Count - 1);
            if (model.Vocab.IsEog(token))
            {
                break;
            }

            generated.Add(token.Value);
            batch.Clear();
            batch.Add(token, position++, new LlamaSeqId(0), logits: true);
            context.Decode(batch);
        }

        Assert.Equal(expected.Tokens, generated);
        Assert.True(expected.EndedWithEndOfGeneration);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("random-f16")]
    [InlineData("successor")]
    public void Llama_architecture_models_load_with_their_vocabulary_and_chat_template(string kind)
    {
        var path = Path.Combine(_folder, kind + ".gguf");
        switch (kind)
        {
            case "random": TestModelWriter.WriteRandom(path); break;
            case "random-f16": TestModelWriter.WriteRandom(path, 3, Corral.Models.Gguf.GgmlType.F16); break;
            default: TestModelWriter.WriteSuccessor(path); break;
        }

        using var model = LlamaModel.Load(path);
        Assert.Equal(SuccessorModel.Vocab.Count, model.Vocab.Count);
        Assert.NotNull(model.ChatTemplate);
        Assert.Equal(new LlamaToken(SuccessorModel.Vocab.EotId), model.Vocab.Eot);
        Assert.True(model.Vocab.IsEog(new LlamaToken(SuccessorModel.Vocab.EotId)));
        Assert.Equal("llama", model.GetMetadata("general.architecture"));
    }

    [Fact]
    public void Embedding_model_produces_mean_pooled_vectors()
    {
        var path = Path.Combine(_folder, "embedding.gguf");
        TestModelWriter.WriteEmbedding(path);
        using var model = LlamaModel.Load(path);
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextSize = 128, BatchSize = 128, UBatchSize = 128, Embeddings = true, Threads = 1, BatchThreads = 1 });
        Assert.Equal(LlamaPoolingType.Mean, context.PoolingType);
        using var batch = new LlamaBatch(128);
        var tokens = model.Vocab.Tokenize("hello world", addSpecial: true, parseSpecial: false);
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Add(tokens[i], i, new LlamaSeqId(0), logits: true);
        }

        context.Decode(batch);
        var vector = context.GetSequenceEmbeddings(new LlamaSeqId(0)).ToArray();
        Assert.Equal(model.EmbeddingLength, vector.Length);
        Assert.Contains(vector, v => v != 0f);
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void Reranker_model_gives_one_finite_score_per_sequence_that_varies_with_the_document()
    {
        var path = Path.Combine(_folder, "reranker.gguf");
        TestModelWriter.WriteReranker(path);
        using var model = LlamaModel.Load(path);
        Assert.Equal("corral-test-reranker", model.GetMetadata("general.name"));
        using var context = LlamaContext.Create(model, new LlamaContextOptions { ContextSize = 256, BatchSize = 128, UBatchSize = 128, SeqMax = 2, Embeddings = true, Threads = 1, BatchThreads = 1 });
        Assert.Equal(LlamaPoolingType.Rank, context.PoolingType);
        Assert.True(model.Vocab.AddSep);
        using var batch = new LlamaBatch(128);
        string[] documents = ["the cat is on the road", "blue sky and green tree"];
        for (var s = 0; s < documents.Length; s++)
        {
            var tokens = model.Vocab.Tokenize("where is the cat", addSpecial: true, parseSpecial: false)
                .Concat(model.Vocab.Tokenize(documents[s], addSpecial: false, parseSpecial: false)).ToArray();
            for (var i = 0; i < tokens.Length; i++)
            {
                batch.Add(tokens[i], i, new LlamaSeqId(s), logits: true);
            }
        }

        context.Decode(batch);
        var first = context.GetSequenceEmbeddings(new LlamaSeqId(0)).ToArray();
        var second = context.GetSequenceEmbeddings(new LlamaSeqId(1)).ToArray();
        Assert.Single(first);
        Assert.Single(second);
        Assert.True(float.IsFinite(first[0]) && float.IsFinite(second[0]));
        Assert.NotEqual(first[0], second[0]);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
