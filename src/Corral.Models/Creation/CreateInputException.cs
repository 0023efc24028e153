namespace Corral.Models.Creation;

/// <summary>The request is wrong (a bad name, a missing blob, a file that is not a valid GGUF ...): Ollama's 400.</summary>
public sealed class CreateInputException(string message) : ModelCreationException(message);
