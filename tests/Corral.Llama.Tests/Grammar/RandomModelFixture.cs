using Corral.TestModels;

namespace Corral.Llama.Tests.Grammar;

/// <summary>The random-weight test model (byte-level vocabulary: any text can be produced), loaded once.</summary>
public sealed class RandomModelFixture : IDisposable
{
    public RandomModelFixture()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"corral-grammar-{Guid.NewGuid():N}.gguf");
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
