using Corral.Models.Names;

namespace Corral.Models.Creation;

/// <summary>A validated create: everything checked before the first progress line is sent (<see cref="ModelCreator.Prepare"/>).</summary>
public sealed class CreatePlan
{
    internal CreatePlan(ModelName name, CreateInput input, List<CreateLayer> baseLayers)
    {
        Name = name;
        Input = input;
        BaseLayers = baseLayers;
    }

    public ModelName Name { get; }

    internal CreateInput Input { get; }

    /// <summary>Inherited or uploaded layers, adapters last.</summary>
    internal List<CreateLayer> BaseLayers { get; }

    /// <summary>How many GGUF files were parsed (one "parsing GGUF" line each).</summary>
    internal int ParsedFiles { get; init; }

    /// <summary>Set when the weights must be quantized (source is F16/F32 and differs from the target).</summary>
    internal QuantizeTarget? Quantize { get; init; }

    /// <summary>Set when the draft model must be quantized (draft_quantize).</summary>
    internal QuantizeTarget? DraftQuantize { get; init; }
}
