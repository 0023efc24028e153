namespace Corral.Templates.GoTemplates;

/// <summary>The error a template function returns (Go's second return value).</summary>
public sealed class TemplateFunctionException(string message) : Exception(message);
