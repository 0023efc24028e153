namespace Corral.Llama;

/// <summary>One message for <see cref="LlamaChatTemplate.Apply"/>.</summary>
public readonly record struct LlamaChatMessage(string Role, string Content);
