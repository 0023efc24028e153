using Corral.Models.Names;

namespace Corral.Models.Store;

/// <summary>No manifest exists for the model (Ollama answers 404 "model '...' not found").</summary>
public sealed class ModelNotFoundException(ModelName name)
    : Exception($"model '{name.DisplayShortest()}' not found")
{
    public ModelName Name { get; } = name;
}
