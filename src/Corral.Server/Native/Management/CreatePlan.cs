using Corral.Api.Native;
using Corral.Models.Names;

namespace Corral.Server.Native.Management;

/// <summary>A validated create request: everything checked before the first progress line is sent.</summary>
internal sealed class CreatePlan
{
    public required ModelName Name { get; init; }

    public required CreateRequest Request { get; init; }

    /// <summary>Inherited or uploaded layers, adapters last.</summary>
    public required List<CreateLayer> BaseLayers { get; init; }

    /// <summary>How many GGUF files were parsed (one "parsing GGUF" line each).</summary>
    public int ParsedFiles { get; init; }

    /// <summary>Set when the weights must be quantized (source is F16/F32 and differs from the target).</summary>
    public QuantizeTarget? Quantize { get; init; }

    /// <summary>Set when the draft model must be quantized (draft_quantize).</summary>
    public QuantizeTarget? DraftQuantize { get; init; }
}
