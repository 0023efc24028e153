using System.Text.Json;
using Corral.Models.Manifests;

namespace Corral.Models.Creation;

/// <summary>
/// What a new model is made of, in the store's terms: the parsed Modelfile as a client sends it to <c>/api/create</c>
/// (its files already uploaded as blobs). Null and empty differ where Ollama's answers do (<see cref="Files"/>).
/// </summary>
public sealed class CreateInput
{
    /// <summary>The new model's name as given (checked by <see cref="ModelCreator.Prepare"/>).</summary>
    public required string Model { get; init; }

    /// <summary>An existing model to build on (Modelfile <c>FROM name</c>).</summary>
    public string? From { get; init; }

    /// <summary>File name → blob digest of the GGUF files to build from; empty (not null) is "no files provided".</summary>
    public IReadOnlyDictionary<string, string>? Files { get; init; }

    /// <summary>File name → blob digest of LoRA adapters, applied in this order.</summary>
    public IReadOnlyDictionary<string, string>? Adapters { get; init; }

    /// <summary>File name → blob digest of the draft model for speculative decoding (Modelfile <c>DRAFT</c>).</summary>
    public IReadOnlyDictionary<string, string>? DraftFiles { get; init; }

    /// <summary>Target quantization of the weights ("q4_K_M"); empty keeps the source's.</summary>
    public string? Quantize { get; init; }

    /// <summary>Target quantization of the draft model; it must be F16 or F32 to start with.</summary>
    public string? DraftQuantize { get; init; }

    /// <summary>A Go template replacing the inherited one; checked by <see cref="ICreateChecks.TemplateError"/>.</summary>
    public string? Template { get; init; }

    public string? System { get; init; }

    /// <summary>One license layer each, in order.</summary>
    public IReadOnlyList<string> Licenses { get; init; } = [];

    /// <summary>Parameters overlaid on the inherited ones (these win per key); checked by <see cref="ICreateChecks.ParametersError"/>.</summary>
    public IReadOnlyDictionary<string, JsonElement>? Parameters { get; init; }

    /// <summary>Messages replacing the inherited ones; null or none keeps them.</summary>
    public IReadOnlyList<ManifestMessage>? Messages { get; init; }

    public string? Renderer { get; init; }

    public string? Parser { get; init; }
}
