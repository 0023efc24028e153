namespace Corral.Llama;

/// <summary>A GBNF grammar did not parse, or its root rule is missing.</summary>
public sealed class LlamaGrammarException(string message) : LlamaException(message);
