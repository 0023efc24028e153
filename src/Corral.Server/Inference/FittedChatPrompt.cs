using Corral.Templates.Prompting;

namespace Corral.Server.Inference;

/// <summary>A chat prompt fitted into the context, with its tokens when the server counted all of them (null otherwise).</summary>
/// <param name="Prompt">The prompt and its images.</param>
/// <param name="Tokens">The prompt's token ids as the runner's tokenizer gave them, BOS included; null when not all were counted.</param>
public sealed record FittedChatPrompt(ChatPrompt Prompt, int[]? Tokens);
