namespace Corral.Models.Registry;

/// <summary>One progress report of a pull or push, shaped like Ollama's ProgressResponse.</summary>
public readonly record struct RegistryProgress(string Status, string? Digest = null, long Total = 0, long Completed = 0);
