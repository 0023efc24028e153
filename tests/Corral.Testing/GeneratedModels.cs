using Corral.TestModels;

namespace Corral.Testing;

/// <summary>The generated GGUF test models, each written once per test process into a temp folder.</summary>
public static class GeneratedModels
{
    private static readonly string Folder = TempFolders.Create("corral-models-");
    private static readonly Lazy<string> SuccessorPath = new(() => Write("successor.gguf", TestModelWriter.WriteSuccessor));
    private static readonly Lazy<string> ToolCallerPath = new(() => Write("tool-caller.gguf", TestModelWriter.WriteToolCaller));
    private static readonly Lazy<string> ThinkerPath = new(() => Write("thinker.gguf", TestModelWriter.WriteThinker));
    private static readonly Lazy<string> HostileMarkupPath = new(() => Write("hostile-markup.gguf", TestModelWriter.WriteHostileMarkup));
    private static readonly Lazy<string> RandomPath = new(() => Write("random.gguf", p => TestModelWriter.WriteRandom(p)));
    private static readonly Lazy<string> EmbeddingPath = new(() => Write("embedding.gguf", p => TestModelWriter.WriteEmbedding(p)));
    private static readonly Lazy<string> RerankerPath = new(() => Write("reranker.gguf", p => TestModelWriter.WriteReranker(p)));
    private static readonly Lazy<string> VisionProjectorPath = new(() => Write("vision-projector.gguf", p => TestModelWriter.WriteVisionProjector(p)));

    /// <summary>Hand-built weights: greedy output follows <see cref="SuccessorModel"/> exactly.</summary>
    public static string Successor => SuccessorPath.Value;

    /// <summary>Hand-built weights that answer a chat turn with one tool call: see <see cref="ToolCallerModel"/> (seed with its template).</summary>
    public static string ToolCaller => ToolCallerPath.Value;

    /// <summary>Hand-built weights that answer a chat turn with reasoning, then text: see <see cref="ThinkerModel"/> (seed with its template).</summary>
    public static string Thinker => ThinkerPath.Value;

    /// <summary>Hand-built weights that answer a chat turn with hostile markup: see <see cref="HostileMarkupModel"/>.</summary>
    public static string HostileMarkup => HostileMarkupPath.Value;

    /// <summary>Random weights, llama architecture, byte-level BPE vocabulary and a chat template.</summary>
    public static string Random => RandomPath.Value;

    /// <summary>A tiny BERT with mean pooling.</summary>
    public static string Embedding => EmbeddingPath.Value;

    /// <summary>A tiny BERT cross-encoder: rank pooling and a one-score classification head.</summary>
    public static string Reranker => RerankerPath.Value;

    /// <summary>
    /// A tiny CLIP-style mmproj (llava "mlp"; 32×32 images → 16 embeddings, see
    /// <see cref="TestModelWriter.VisionProjectorShape"/>) for <see cref="VisionText"/>.
    /// </summary>
    public static string VisionProjector => VisionProjectorPath.Value;

    /// <summary>The text model <see cref="VisionProjector"/> feeds: the <see cref="Random"/> model (n_embd 64).</summary>
    public static string VisionText => Random;

    private static string Write(string name, Action<string> writer)
    {
        var path = Path.Combine(Folder, name);
        writer(path);
        return path;
    }
}
