namespace Corral.Server.Inference;

/// <summary>What an API surface adds to a native chat or generate request that the native wire shape has no field for.</summary>
public sealed record CompletionExtras
{
    public static readonly CompletionExtras None = new();

    /// <summary>Whether the caller's tool_choice demands a call: then the output is held to tool calls (<see cref="RequiredToolCall"/>).</summary>
    public ToolCallRequirement ToolCalls { get; init; } = ToolCallRequirement.None;

    /// <summary>OpenAI's logit_bias (token id → bias).</summary>
    public Dictionary<int, float>? LogitBias { get; init; }

    /// <summary>
    /// Drop a thinking request the model can't honour instead of refusing it: Anthropic clients (Claude Code) send
    /// thinking whatever the model, and Ollama relaxes it on /v1/messages.
    /// </summary>
    public bool RelaxThinking { get; init; }
}
