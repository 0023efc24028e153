namespace Corral.Llama.Tests;

/// <summary>One vocab-only load of llama.cpp's llama-bpe test vocabulary (Llama 3 tokenizer), shared by a test class.</summary>
public sealed class VocabFixture : IDisposable
{
    public VocabFixture() =>
        Model = LlamaModel.Load(TestEnvironment.VocabPath("llama-bpe"), new LlamaModelLoadOptions { VocabOnly = true });

    public LlamaModel Model { get; }

    public LlamaVocab Vocab => Model.Vocab;

    public void Dispose() => Model.Dispose();
}
