using Corral.TestModels;

namespace Corral.Llama.Tests;

/// <summary>A tiny random-weight llama model (byte-level vocabulary: any text can be produced), written to a temp file and loaded once per test class.</summary>
public sealed class TinyModelFixture : IDisposable
{
    public TinyModelFixture()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"corral-tiny-{Guid.NewGuid():N}.gguf");
        TestModelWriter.WriteRandom(Path);
        Model = LlamaModel.Load(Path);
    }

    public string Path { get; }

    public LlamaModel Model { get; }

    public void Dispose()
    {
        Model.Dispose();
        File.Delete(Path);
    }
}
