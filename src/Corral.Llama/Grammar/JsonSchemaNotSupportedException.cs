namespace Corral.Llama.Grammar;

/// <summary>
/// A JSON schema uses a keyword (or a keyword value, such as a regex feature) that cannot be turned
/// into a grammar. The server answers 400 with <see cref="Exception.Message"/>, which always names the keyword.
/// </summary>
public sealed class JsonSchemaNotSupportedException(string keyword, string message)
    : Exception(message.Contains($"'{keyword}'", StringComparison.Ordinal) ? message : $"JSON schema '{keyword}': {message}")
{
    /// <summary>The schema keyword at fault, e.g. <c>patternProperties</c> or <c>pattern</c>.</summary>
    public string Keyword { get; } = keyword;
}
