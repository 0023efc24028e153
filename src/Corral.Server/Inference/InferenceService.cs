namespace Corral.Server.Inference;

/// <summary>Placeholder: the shared path from a resolved model and a rendered prompt to a runner stream.</summary>
public sealed class InferenceService;
