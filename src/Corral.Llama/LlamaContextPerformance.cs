namespace Corral.Llama;

/// <summary>Timing counters of a context (<c>llama_perf_context_data</c>), milliseconds.</summary>
public readonly record struct LlamaContextPerformance(
    double StartMs,
    double LoadMs,
    double PromptEvalMs,
    double EvalMs,
    int PromptTokens,
    int EvalTokens,
    int GraphReuses);
