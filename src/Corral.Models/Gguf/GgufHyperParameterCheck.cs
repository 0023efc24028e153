namespace Corral.Models.Gguf;

/// <summary>
/// Hyper-parameters llama.cpp trusts: ggml's norms abort on an epsilon that is not &gt;= 0 (NaN, -inf), the model
/// loader asserts 1 &lt;= block_count &lt;= 512, and a NaN or infinite value anywhere under the architecture's prefix
/// is a corrupted file, never a real setting.
/// </summary>
internal static class GgufHyperParameterCheck
{
    private const int MaxLayers = 512; // llama.cpp's LLAMA_MAX_LAYERS

    public static void Check(GgufFile gguf, List<string> problems)
    {
        if (gguf.Architecture is not { } arch)
        {
            return;
        }

        string prefix = arch + ".";
        foreach (var (key, value) in gguf.Metadata)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                CheckNumbers(key, value, problems);
            }
        }

        if (gguf.TryGetInt64(prefix + GgufKeys.BlockCountSuffix, out long blocks) && blocks is < 1 or > MaxLayers)
        {
            problems.Add($"{prefix}{GgufKeys.BlockCountSuffix} is {blocks} (llama.cpp needs 1 to {MaxLayers})");
        }

        if (gguf.TryGetInt64(prefix + GgufKeys.EmbeddingLengthSuffix, out long embd) && embd < 1)
        {
            problems.Add($"{prefix}{GgufKeys.EmbeddingLengthSuffix} is {embd}");
        }
    }

    private static void CheckNumbers(string key, GgufValue value, List<string> problems)
    {
        if (value.Type is GgufValueType.Float32 or GgufValueType.Float64)
        {
            value.TryGetDouble(out double d);
            CheckFloat(key, d, problems);
        }
        else if (value.Type == GgufValueType.Array && value.AsArray() is { IsMaterialized: true } array
            && array.ElementType is GgufValueType.Float32 or GgufValueType.Float64)
        {
            for (int i = 0; i < array.Count; i++)
            {
                array.GetElement(i).TryGetDouble(out double d);
                if (!CheckFloat($"{key}[{i}]", d, problems))
                {
                    return; // one line per key is enough
                }
            }
        }
    }

    private static bool CheckFloat(string key, double value, List<string> problems)
    {
        if (!double.IsFinite(value))
        {
            problems.Add($"{key} is {Format(value)}");
            return false;
        }

        if (key.EndsWith("epsilon", StringComparison.Ordinal) && value < 0)
        {
            problems.Add($"{key} is {Format(value)} (ggml's norms need an epsilon >= 0)");
            return false;
        }

        if (key.EndsWith("rope.freq_base", StringComparison.Ordinal) && value <= 0)
        {
            problems.Add($"{key} is {Format(value)} (a rope base must be positive)");
            return false;
        }

        return true;
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
