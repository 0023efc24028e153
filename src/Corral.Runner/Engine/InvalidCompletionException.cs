namespace Corral.Runner.Engine;

/// <summary>
/// A request the engine refuses as the client's fault, before it starts: a prompt longer than the context with
/// truncate off, token ids outside the vocabulary, a grammar llama.cpp rejects, an image it cannot decode, an
/// image tag without an image. The runner answers HTTP 400 (for embeddings and reranking, a response marked
/// <c>refused</c>); the server turns that into a 400 in each API's shape.
/// </summary>
public sealed class InvalidCompletionException(string message) : Exception(message);
