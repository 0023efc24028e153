using Corral.Models.Names;

namespace Corral.Gateway.Fleet;

/// <summary>
/// One spelling for a model name, so "successor", "successor:latest" and "registry.ollama.ai/library/successor:latest"
/// (how clients, /api/ps and /api/tags may each write it) are the same model to the router.
/// </summary>
public static class ModelKey
{
    public static string Of(string? name)
    {
        var text = (name ?? string.Empty).Trim();
        return ModelName.TryParse(text, out var parsed) ? parsed.WithoutDigest().DisplayFull().ToLowerInvariant() : text.ToLowerInvariant();
    }
}
