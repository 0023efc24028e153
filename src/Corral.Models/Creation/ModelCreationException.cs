namespace Corral.Models.Creation;

/// <summary>
/// A create that cannot go on, with a message written for the client. The subclass says whose fault it is:
/// <see cref="CreateInputException"/> (the request), <see cref="CreateSourceNotFoundException"/> (the model to build
/// on does not exist) or <see cref="CreateFailedException"/> (the server: a damaged store, a failed quantization).
/// </summary>
public abstract class ModelCreationException(string message) : Exception(message);
