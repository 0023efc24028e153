namespace Corral.Models.Creation;

/// <summary>One progress step of a create ("parsing GGUF", "writing manifest", "success"; quantizing with a byte count).</summary>
public readonly record struct CreateProgress(string Status, string? Digest = null, long Total = 0, long Completed = 0);
