using Corral.Llama;
using Corral.Server.Http;

namespace Corral.Server.Native.Management;

/// <summary>The quantization types <c>/api/create</c> accepts, as Ollama does (case-insensitive).</summary>
internal sealed record QuantizeTarget(string Name, LlamaFileType FileType)
{
    private static readonly QuantizeTarget[] Supported =
    [
        new("F32", LlamaFileType.AllF32),
        new("F16", LlamaFileType.F16),
        new("Q4_K_S", LlamaFileType.Q4_K_S),
        new("Q4_K_M", LlamaFileType.Q4_K_M),
        new("Q8_0", LlamaFileType.Q8_0),
    ];

    /// <summary>Null for no quantization; 400 with Ollama's message for an unsupported type.</summary>
    public static QuantizeTarget? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var upper = text.ToUpperInvariant();
        return Supported.FirstOrDefault(t => t.Name == upper)
            ?? throw ApiException.BadRequest(
                $"unsupported quantization type {upper} - supported types are {string.Join(", ", Supported.Select(t => t.Name))}");
    }
}
