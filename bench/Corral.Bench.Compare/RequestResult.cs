namespace Corral.Bench.Compare;

/// <summary>
/// One streamed completion as the client saw it. Times are from sending the request; TTFT is the first
/// chunk with non-empty text. Token counts are the server's usage; <see cref="TextChunks"/> is what arrived.
/// </summary>
internal readonly record struct RequestResult(double TtftMs, double LatencyMs, int CompletionTokens, int PromptTokens, int? CachedTokens, int TextChunks);
