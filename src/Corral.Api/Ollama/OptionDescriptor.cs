namespace Corral.Api.Ollama;

/// <summary>One known option: its wire name, type and accessors (values boxed: this is per request, not per token).</summary>
internal sealed record OptionDescriptor(string Name, OptionKind Kind, Func<ModelOptions, object?> Get, Action<ModelOptions, object?> Set);
