namespace Corral.Llama.Tests;

public sealed class ModelLoadTests
{
    private static readonly LlamaModelLoadOptions VocabOnly = new() { VocabOnly = true };

    [Fact]
    public void Missing_file_throws_a_load_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), "corral-missing-" + Guid.NewGuid().ToString("N") + ".gguf");
        var ex = Assert.Throws<LlamaModelLoadException>(() => LlamaModel.Load(path));
        Assert.Equal(path, ex.Path);
        Assert.Contains("not found", ex.Message);
    }

    [Fact]
    public void Text_file_throws_a_load_exception_with_the_native_reason()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "this is not a GGUF file, just some text\n");
            var ex = Assert.Throws<LlamaModelLoadException>(() => LlamaModel.Load(path));
            // Beyond our prefix, the message carries what llama.cpp logged.
            Assert.Contains(": ", ex.Message[ex.Message.IndexOf(path, StringComparison.Ordinal)..]);
            Assert.Contains("gguf", ex.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncated_gguf_throws_a_load_exception()
    {
        var source = File.ReadAllBytes(TestEnvironment.VocabPath("llama-bpe"));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, source.AsSpan(0, source.Length / 2).ToArray());
            Assert.Throws<LlamaModelLoadException>(() => LlamaModel.Load(path, VocabOnly));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Vocab_only_load_reports_metadata()
    {
        // A vocab-only load has no tensors, so llama.cpp reports no progress; the sink must not break it.
        using var model = LlamaModel.Load(TestEnvironment.VocabPath("llama-bpe"), VocabOnly,
            new SyncProgress(_ => throw new InvalidOperationException("progress sink failure must not escape")));
        Assert.Equal("llama", model.Metadata["general.architecture"]);
        Assert.Equal("llama", model.GetMetadata("general.architecture"));
        Assert.Null(model.GetMetadata("no.such.key"));
        Assert.Equal(128256, model.Vocab.Count);
        Assert.Equal(LlamaVocabType.Bpe, model.Vocab.Type);
        Assert.Equal(0UL, model.ParameterCount);
    }

    [Fact]
    public void A_cancelled_token_stops_the_load()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            LlamaModel.Load(TestEnvironment.VocabPath("llama-bpe"), VocabOnly, null, cts.Token));
    }

    [Fact]
    public void Disposed_model_refuses_vocab_calls()
    {
        var model = LlamaModel.Load(TestEnvironment.VocabPath("llama-bpe"), VocabOnly);
        var vocab = model.Vocab;
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => vocab.IsEog(new LlamaToken(0)));
    }

    /// <summary>IProgress that reports synchronously (Progress&lt;T&gt; posts to the thread pool).</summary>
    private sealed class SyncProgress(Action<float> report) : IProgress<float>
    {
        public void Report(float value) => report(value);
    }
}
