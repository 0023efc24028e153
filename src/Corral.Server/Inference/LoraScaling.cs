using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Server.Resolution;

namespace Corral.Server.Inference;

/// <summary>
/// A request's <c>lora</c> list (llama-server's per-request adapter scales) as the runner takes it: one scale per
/// adapter of the model, in its order, 0 for those the list leaves out. Checked before anything loads.
/// </summary>
public static class LoraScaling
{
    /// <summary>Largest scale accepted either way: far past any useful strength, small enough to stay finite in F16.</summary>
    public const float MaxScale = 100f;

    /// <returns>Null when the request names no scales (the model's own: 1 each).</returns>
    /// <exception cref="ApiException">400: the model has no adapters, an id it does not have, a repeated id, or a scale out of range.</exception>
    public static float[]? Resolve(ResolvedModel model, IReadOnlyList<LoraScale>? lora)
    {
        if (lora is null)
        {
            return null;
        }

        var count = model.AdapterPaths.Count;
        if (count == 0)
        {
            if (lora.Count == 0)
            {
                return null;
            }

            throw ApiException.BadRequest($"lora: model '{model.Name.DisplayShortest()}' has no LoRA adapters");
        }

        var scales = new float[count];
        var seen = new bool[count];
        foreach (var entry in lora)
        {
            if (entry.Id < 0 || entry.Id >= count)
            {
                throw ApiException.BadRequest($"lora: invalid adapter id {entry.Id}: the model has {(count == 1 ? "adapter 0" : $"adapters 0 to {count - 1}")}");
            }

            if (seen[entry.Id])
            {
                throw ApiException.BadRequest($"lora: adapter id {entry.Id} given twice");
            }

            if (!float.IsFinite(entry.Scale) || Math.Abs(entry.Scale) > MaxScale)
            {
                throw ApiException.BadRequest($"lora: scale of adapter {entry.Id} must be between -{MaxScale} and {MaxScale}");
            }

            seen[entry.Id] = true;
            scales[entry.Id] = entry.Scale;
        }

        return scales;
    }
}
