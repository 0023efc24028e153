namespace Corral.Llama.Grammar;

/// <summary>A GBNF grammar llama.cpp would refuse, with where: "line 3, column 7: expecting ::=".</summary>
public sealed class GbnfSyntaxException(string message) : Exception(message);
