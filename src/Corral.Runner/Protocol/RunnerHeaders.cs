namespace Corral.Runner.Protocol;

/// <summary>Response headers of the runner protocol.</summary>
public static class RunnerHeaders
{
    /// <summary>On an accepted completion: the prompt's length in context positions, known before prefill starts.</summary>
    public const string PromptTokens = "X-Corral-Prompt-Tokens";
}
