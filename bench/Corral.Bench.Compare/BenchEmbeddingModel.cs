using Corral.TestModels;

namespace Corral.Bench.Compare;

/// <summary>The tiny BERT embedding model (mean pooling) of the test models, generated once and cached beside the bench model.</summary>
internal static class BenchEmbeddingModel
{
    public static string Ensure()
    {
        var path = Path.Combine(Path.GetTempPath(), "corral-bench", "bert-embedding.gguf");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            TestModelWriter.WriteEmbedding(path + ".tmp");
            File.Move(path + ".tmp", path, overwrite: true);
        }

        return path;
    }
}
