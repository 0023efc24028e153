using Corral.Models.Gguf;

namespace Corral.Models.Creation;

/// <summary>
/// The quantization types a create accepts, as Ollama does (case-insensitive). <see cref="FileType"/> is the
/// <c>general.file_type</c> id the result carries (llama.cpp's <c>llama_ftype</c>, see <see cref="GgufFileTypes"/>).
/// </summary>
public sealed record QuantizeTarget(string Name, uint FileType)
{
    private static readonly QuantizeTarget[] Supported = [.. new[] { "F32", "F16", "Q4_K_S", "Q4_K_M", "Q8_0" }.Select(n => new QuantizeTarget(n, GgufFileTypes.Parse(n)!.Value))];

    /// <summary>Null for no quantization; Ollama's message for an unsupported type.</summary>
    /// <exception cref="CreateInputException">Not one of the supported types.</exception>
    internal static QuantizeTarget? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var upper = text.ToUpperInvariant();
        return Supported.FirstOrDefault(t => t.Name == upper)
            ?? throw new CreateInputException(
                $"unsupported quantization type {upper} - supported types are {string.Join(", ", Supported.Select(t => t.Name))}");
    }
}
