namespace Corral.Models.Gguf;

/// <summary>
/// Whether a GGUF LoRA adapter can be applied to a model, by the rules llama.cpp's <c>llama_adapter_lora_init</c>
/// applies (llama-adapter.cpp), read from both headers: general.type "adapter", adapter.type "lora", the model's
/// general.architecture, tensors in "W.lora_a"/"W.lora_b" pairs (norm vectors ignored, as llama.cpp does) for weights
/// W the model has, with ne0 of A = ne0 of W, ne1 of B = ne1 of W and A's rank = B's (the token embedding is stored the
/// other way round: ne0 of W = ne1 of B, ne1 of W = ne1 of A). What llama.cpp would refuse at every load is refused
/// when the model is created instead.
/// </summary>
public static class GgufAdapterCheck
{
    /// <summary>The first reason <paramref name="adapter"/> cannot be applied to <paramref name="model"/>, or null when it can.</summary>
    public static string? FindProblem(GgufFile adapter, GgufFile model)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        ArgumentNullException.ThrowIfNull(model);
        var generalType = adapter.TryGetString("general.type", out var t) ? t : "";
        if (generalType != "adapter")
        {
            return $"not a LoRA adapter (general.type is '{generalType}', not 'adapter')";
        }

        var adapterType = adapter.TryGetString("adapter.type", out var a) ? a : "";
        if (adapterType != "lora")
        {
            return $"not a LoRA adapter (adapter.type is '{adapterType}', not 'lora')";
        }

        var arch = adapter.Architecture ?? "";
        var modelArch = model.Architecture ?? "";
        if (arch != modelArch)
        {
            return $"adapter architecture '{arch}' does not match the model's '{modelArch}'";
        }

        var pairs = new Dictionary<string, (GgufTensorInfo? A, GgufTensorInfo? B)>(StringComparer.Ordinal);
        foreach (var tensor in adapter.Tensors)
        {
            if (tensor.Name.EndsWith(".lora_a", StringComparison.Ordinal))
            {
                var weight = tensor.Name[..^".lora_a".Length];
                pairs[weight] = (tensor, pairs.GetValueOrDefault(weight).B);
            }
            else if (tensor.Name.EndsWith(".lora_b", StringComparison.Ordinal))
            {
                var weight = tensor.Name[..^".lora_b".Length];
                pairs[weight] = (pairs.GetValueOrDefault(weight).A, tensor);
            }
            else if (!tensor.Name.EndsWith("_norm.weight", StringComparison.Ordinal))
            {
                return $"tensor '{tensor.Name}' is not part of a LoRA pair (.lora_a/.lora_b)";
            }
        }

        if (pairs.Count == 0)
        {
            return "the adapter has no LoRA tensors";
        }

        foreach (var (weight, (tensorA, tensorB)) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (tensorA is null || tensorB is null)
            {
                return $"LoRA pair for '{weight}' lacks its {(tensorA is null ? "lora_a" : "lora_b")}";
            }

            if (!model.TensorsByName.TryGetValue(weight, out var target))
            {
                return $"the model has no tensor '{weight}' (an adapter for another model?)";
            }

            if (!Fits(weight, target.Dimensions, tensorA.Dimensions, tensorB.Dimensions))
            {
                return $"LoRA pair for '{weight}' has the wrong shape for the model (an adapter for another model?)";
            }
        }

        return null;
    }

    private static bool Fits(string weight, IReadOnlyList<long> w, IReadOnlyList<long> a, IReadOnlyList<long> b)
    {
        long Dim(IReadOnlyList<long> d, int i) => i < d.Count ? d[i] : 1;
        if (weight.EndsWith("token_embd.weight", StringComparison.Ordinal))
        {
            return Dim(w, 0) == Dim(b, 1) && Dim(w, 1) == Dim(a, 1);
        }

        return Dim(w, 0) == Dim(a, 0) && Dim(w, 1) == Dim(b, 1) && Dim(a, 1) == Dim(b, 0);
    }
}
