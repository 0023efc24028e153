namespace Corral.Bench.Soak;

/// <summary>How a streamed answer is framed: Ollama's NDJSON (a final chunk with done) or OpenAI's SSE (ended by [DONE]).</summary>
internal enum StreamFormat
{
    Ndjson,
    Sse,
}
