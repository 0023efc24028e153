namespace Corral.Models.Creation;

/// <summary>The request was fine but the server could not do it (a source model missing a blob, a failed quantization): a 500.</summary>
public sealed class CreateFailedException(string message) : ModelCreationException(message);
