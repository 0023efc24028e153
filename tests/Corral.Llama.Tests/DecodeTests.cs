using Corral.TestModels;

namespace Corral.Llama.Tests;

public sealed class DecodeTests(TinyModelFixture fixture) : IClassFixture<TinyModelFixture>
{
    private static readonly LlamaSeqId Seq0 = new(0);
    private static readonly LlamaSeqId Seq1 = new(1);

    private LlamaContext CreateContext(bool embeddings = false) => LlamaContext.Create(fixture.Model, new LlamaContextOptions
    {
        ContextSize = 128,
        BatchSize = 32,
        UBatchSize = 32,
        SeqMax = 2,
        Threads = 1,
        BatchThreads = 1,
        KvUnified = true,
        Embeddings = embeddings,
        PoolingType = embeddings ? LlamaPoolingType.Mean : null,
        NoPerf = false,
    });

    [Fact]
    public void Model_properties_come_from_the_gguf()
    {
        var model = fixture.Model;
        Assert.Equal(TestModelWriter.RandomShape.BlockCount, model.LayerCount);
        Assert.Equal(TestModelWriter.RandomShape.EmbeddingLength, model.EmbeddingLength);
        Assert.Equal(TestModelWriter.RandomShape.ContextLength, model.TrainContextLength);
        Assert.Equal(SuccessorModel.Vocab.Count, model.Vocab.Count);
        Assert.Equal(TestModelWriter.RandomShape.HeadCount, model.HeadCount);
        Assert.True(model.HasDecoder);
        Assert.False(model.HasEncoder);
        Assert.Equal(LlamaFileType.AllF32, model.FileType);
        Assert.Equal(ChatTemplates.Llama3, model.ChatTemplate);
        Assert.Contains("llama", model.Description);
        Assert.True(model.ParameterCount > 0);
        Assert.True(model.SizeBytes >= model.ParameterCount * 4);
        Assert.Equal(new LlamaToken(SuccessorModel.Vocab.EosId), model.Vocab.Eos);
    }

    [Fact]
    public void Loading_reports_progress_up_to_one()
    {
        var reports = new List<float>();
        using var model = LlamaModel.Load(fixture.Path, progress: new SyncProgress(reports.Add));
        Assert.NotEmpty(reports);
        Assert.Equal(1.0f, reports[^1]);
    }

    [Fact]
    public void Cancelling_during_load_aborts_it()
    {
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LlamaModel.Load(fixture.Path, progress: new SyncProgress(_ => cts.Cancel()), cancellationToken: cts.Token));
    }

    [Fact]
    public void Context_reports_the_requested_sizes()
    {
        using var ctx = CreateContext();
        Assert.InRange(ctx.ContextSize, 128, TestModelWriter.RandomShape.ContextLength); // llama.cpp rounds n_ctx up
        Assert.Equal(ctx.ContextSize, ctx.ContextSizePerSequence); // unified cache
        Assert.Equal(32, ctx.BatchSize);
        Assert.Equal(2, ctx.SeqMax);
        Assert.Equal(1, ctx.Threads);
        Assert.Equal(SuccessorModel.Vocab.Count, ctx.VocabCount);
    }

    [Fact]
    public void Two_sequences_in_one_batch_give_the_same_logits_as_decoding_each_alone()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(32);
        int[] prompt0 = [1, 5, 6, 7];
        int[] prompt1 = [1, 8, 9];
        var last0 = AddPrompt(batch, prompt0, Seq0);
        var last1 = AddPrompt(batch, prompt1, Seq1);
        ctx.Decode(batch);
        var together0 = ctx.GetLogits(last0).ToArray();
        var together1 = ctx.GetLogits(last1).ToArray();
        Assert.Equal(SuccessorModel.Vocab.Count, together0.Length);
        Assert.All(together0, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(together0, together1);
        Assert.Equal(3, ctx.SeqPosMax(Seq0));
        Assert.Equal(2, ctx.SeqPosMax(Seq1));

        ctx.ClearMemory();
        Assert.Equal(-1, ctx.SeqPosMax(Seq0));
        batch.Clear();
        var alone1 = AddPrompt(batch, prompt1, Seq1);
        ctx.Decode(batch);
        AssertClose(together1, ctx.GetLogits(alone1));
        AssertClose(together1, ctx.GetLogits(-1));
    }

    [Fact]
    public void Greedy_sampling_picks_the_arg_max_and_grammar_constrains_it()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(32);
        var last = AddPrompt(batch, [1, 5, 6, 7], Seq0);
        ctx.Decode(batch);
        var logits = ctx.GetLogits(last);
        var argMax = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            argMax = logits[i] > logits[argMax] ? i : argMax;
        }

        using var greedy = new LlamaSamplerChain().AddGreedy();
        Assert.Equal(new LlamaToken(argMax), greedy.Sample(ctx, last));

        // Ban the arg max: greedy must pick something else.
        using var banned = new LlamaSamplerChain()
            .AddLogitBias(ctx.VocabCount, [new LlamaLogitBias(new LlamaToken(argMax), float.NegativeInfinity)])
            .AddGreedy();
        Assert.NotEqual(new LlamaToken(argMax), banned.Sample(ctx, last));

        // Only "q" is allowed by this grammar (byte-level vocabulary: token id = byte).
        using var grammar = new LlamaSamplerChain().AddGrammar(fixture.Model.Vocab, "root ::= \"q\"+").AddGreedy();
        Assert.Equal(new LlamaToken('q'), grammar.Sample(ctx, last));
    }

    [Fact]
    public void Sequence_memory_operations()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(32);
        AddPrompt(batch, [1, 5, 6, 7, 8], Seq0);
        ctx.Decode(batch);
        Assert.Equal(0, ctx.SeqPosMin(Seq0));
        Assert.Equal(4, ctx.SeqPosMax(Seq0));

        Assert.True(ctx.SeqRemove(Seq0, 3, -1));
        Assert.Equal(2, ctx.SeqPosMax(Seq0));

        Assert.True(ctx.CanShift);
        ctx.SeqAdd(Seq0, 0, -1, 10);
        Assert.Equal(10, ctx.SeqPosMin(Seq0));
        Assert.Equal(12, ctx.SeqPosMax(Seq0));

        // With a unified cache the copy shares cells, so seq 1 sees the same positions.
        ctx.SeqCopy(Seq0, Seq1, -1, -1);
        Assert.Equal(12, ctx.SeqPosMax(Seq1));

        ctx.SeqKeep(Seq1);
        Assert.Equal(-1, ctx.SeqPosMax(Seq0));
        Assert.Equal(12, ctx.SeqPosMax(Seq1));

        Assert.True(ctx.SeqRemove(Seq1));
        Assert.Equal(-1, ctx.SeqPosMax(Seq1));
    }

    [Fact]
    public void Sequence_state_saved_and_restored_into_another_sequence_continues_identically()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(32);
        AddPrompt(batch, [1, 5, 6, 7], Seq0);
        ctx.Decode(batch);
        var state = ctx.SaveSequenceState(Seq0);
        Assert.Equal(ctx.GetSequenceStateSize(Seq0), state.Length);

        batch.Clear();
        batch.Add(new LlamaToken(9), 4, Seq0, logits: true);
        ctx.Decode(batch);
        var direct = ctx.GetLogits(0).ToArray();

        ctx.ClearMemory();
        ctx.LoadSequenceState(state, Seq1);
        Assert.Equal(3, ctx.SeqPosMax(Seq1));
        batch.Clear();
        batch.Add(new LlamaToken(9), 4, Seq1, logits: true);
        ctx.Decode(batch);
        AssertClose(direct, ctx.GetLogits(0));
    }

    [Fact]
    public void Invalid_batches_throw_decode_exceptions_with_the_native_code()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(4);
        batch.Add(new LlamaToken(SuccessorModel.Vocab.Count + 100), 0, Seq0, logits: true);
        var ex = Assert.Throws<LlamaDecodeException>(() => ctx.Decode(batch));
        Assert.Equal(-1, ex.Code);

        batch.Clear();
        Assert.Throws<ArgumentException>(() => ctx.Decode(batch));
    }

    [Fact]
    public void Logits_of_a_token_without_output_are_refused()
    {
        using var ctx = CreateContext();
        using var batch = new LlamaBatch(4);
        batch.Add(new LlamaToken(1), 0, Seq0, logits: false);
        batch.Add(new LlamaToken(5), 1, Seq0, logits: true);
        ctx.Decode(batch);
        Assert.Equal(SuccessorModel.Vocab.Count, ctx.GetLogits(1).Length);
        Assert.Throws<LlamaException>(() => ctx.GetLogits(0));
        Assert.True(ctx.GetPerformance().PromptTokens + ctx.GetPerformance().EvalTokens > 0);
    }

    [Fact]
    public void Pooled_sequence_embeddings()
    {
        using var ctx = CreateContext(embeddings: true);
        using var batch = new LlamaBatch(32);
        AddPrompt(batch, [1, 5, 6], Seq0, allLogits: true);
        AddPrompt(batch, [1, 7, 8], Seq1, allLogits: true);
        ctx.Decode(batch);
        var e0 = ctx.GetSequenceEmbeddings(Seq0).ToArray();
        var e1 = ctx.GetSequenceEmbeddings(Seq1).ToArray();
        Assert.Equal(TestModelWriter.RandomShape.EmbeddingLength, e0.Length);
        Assert.NotEqual(e0, e1);
    }

    [Fact]
    public void Quantizing_to_q8_0_produces_a_loadable_model()
    {
        var output = fixture.Path + ".q8_0.gguf";
        try
        {
            LlamaQuantizer.Quantize(fixture.Path, output, LlamaFileType.Q8_0, 1);
            using var quantized = LlamaModel.Load(output);
            Assert.Equal(LlamaFileType.Q8_0, quantized.FileType);
            Assert.True(quantized.SizeBytes < fixture.Model.SizeBytes);
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static int AddPrompt(LlamaBatch batch, int[] tokens, LlamaSeqId seq, bool allLogits = false)
    {
        var last = -1;
        for (var i = 0; i < tokens.Length; i++)
        {
            last = batch.Add(new LlamaToken(tokens[i]), i, seq, logits: allLogits || i == tokens.Length - 1);
        }

        return last;
    }

    private static void AssertClose(float[] expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-3f, $"logit {i}: {expected[i]} vs {actual[i]}");
        }
    }

    private sealed class SyncProgress(Action<float> report) : IProgress<float>
    {
        public void Report(float value) => report(value);
    }
}
