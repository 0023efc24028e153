namespace Corral.Server.Scheduling;

/// <summary>Loading the model would not fit into the memory available; refused before starting a runner.</summary>
public sealed class ModelMemoryException(string message) : Exception(message);
