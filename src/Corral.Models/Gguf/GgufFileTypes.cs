namespace Corral.Models.Gguf;

/// <summary>
/// Names of <c>general.file_type</c> values (llama.cpp's LLAMA_FTYPE_* numbering) as Ollama shows
/// them in <c>quantization_level</c> and the config's <c>file_type</c>: "F32", "F16", "Q4_K_M", ...
/// </summary>
public static class GgufFileTypes
{
    public const string Unknown = "unknown";

    private static readonly string?[] Names =
    [
        "F32", "F16", "Q4_0", "Q4_1", null, null, null, "Q8_0", "Q5_0", "Q5_1",
        "Q2_K", "Q3_K_S", "Q3_K_M", "Q3_K_L", "Q4_K_S", "Q4_K_M", "Q5_K_S", "Q5_K_M", "Q6_K", "IQ2_XXS",
        "IQ2_XS", "Q2_K_S", "IQ3_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S", "IQ3_M", "IQ2_S", "IQ2_M",
        "IQ4_XS", "IQ1_M", "BF16", null, null, null, "TQ1_0", "TQ2_0", "MXFP4",
    ];

    /// <summary>
    /// The name of a file type id. A missing key counts as F32: llama.cpp's converters write 0
    /// (ALL_F32) or nothing for unquantized float32 models.
    /// </summary>
    public static string Name(uint? fileType)
    {
        var id = fileType ?? 0;
        return id < Names.Length && Names[id] is { } name ? name : Unknown;
    }

    /// <summary>The id of a name (case-insensitive), or null when unknown.</summary>
    public static uint? Parse(string name)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return (uint)i;
            }
        }

        return null;
    }
}
