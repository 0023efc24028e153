namespace Corral.Models.Creation;

/// <summary>The model to build on (<see cref="CreateInput.From"/>) does not exist: Ollama's 404, naming it as given.</summary>
public sealed class CreateSourceNotFoundException(string model) : ModelCreationException($"model '{model}' not found")
{
    public string Model { get; } = model;
}
