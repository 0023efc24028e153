namespace Corral.Server.Inference;

/// <summary>Whether a chat's tool_choice demands a call, and how many calls it may make.</summary>
public enum ToolCallRequirement
{
    /// <summary>The model decides (Ollama's only behaviour).</summary>
    None,

    /// <summary>Exactly one call (parallel tool calls disabled).</summary>
    One,

    /// <summary>One call or more in a row.</summary>
    OneOrMore,
}
