using Corral.Models.Gguf;

namespace Corral.TestModels;

/// <summary>
/// Writes GGUF LoRA adapters as llama.cpp's <c>llama_adapter_lora_init</c> reads them (llama-adapter.cpp):
/// <c>general.type</c> "adapter", <c>general.architecture</c> of the base model, <c>adapter.type</c> "lora",
/// <c>adapter.lora.alpha</c>, and for each adapted weight W (ne0 = its input width, ne1 = its output width) the pair
/// "W.lora_a" (ne0 = input width, ne1 = rank) and "W.lora_b" (ne0 = rank, ne1 = output width). llama.cpp adds
/// (B·A)·x × scale × alpha / rank to W·x; without alpha (or alpha 0) the factor is the scale alone.
/// </summary>
public static class LoraAdapterWriter
{
    /// <summary>One adapted weight: its name in the base model, its shape there, and the pair's values by element index.</summary>
    public sealed record Target(string Weight, long InputWidth, long OutputWidth, Func<long, float> A, Func<long, float> B);

    /// <param name="path">Where the GGUF is written.</param>
    /// <param name="architecture">general.architecture, which must match the base model's.</param>
    /// <param name="rank">The rank of each A/B pair.</param>
    /// <param name="targets">The adapted weights.</param>
    /// <param name="adapterType">adapter.type: "lora" unless a test wants llama.cpp to refuse the file.</param>
    /// <param name="alpha">adapter.lora.alpha; null writes none.</param>
    /// <param name="generalType">general.type: "adapter" unless a test wants llama.cpp to refuse the file.</param>
    public static void Write(string path, string architecture, int rank, float? alpha, IReadOnlyList<Target> targets, string generalType = "adapter", string adapterType = "lora")
    {
        var w = new GgufWriter();
        w.AddString(GgufKeys.Architecture, architecture);
        w.AddString("general.type", generalType);
        w.AddString(GgufKeys.Name, "corral-test-lora");
        w.AddString("adapter.type", adapterType);
        if (alpha is { } a)
        {
            w.AddFloat32("adapter.lora.alpha", a);
        }

        foreach (var target in targets)
        {
            long[] aDims = [target.InputWidth, rank];
            long[] bDims = [rank, target.OutputWidth];
            w.AddTensor(target.Weight + ".lora_a", aDims, GgmlType.F32, s => TensorData.Write(s, GgmlType.F32, target.InputWidth * rank, target.A));
            w.AddTensor(target.Weight + ".lora_b", bDims, GgmlType.F32, s => TensorData.Write(s, GgmlType.F32, rank * target.OutputWidth, target.B));
        }

        w.WriteTo(path);
    }
}
