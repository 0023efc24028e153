namespace Corral.Llama;

/// <summary>A bias added to one token's logit (<c>llama_logit_bias</c>); -inf bans the token.</summary>
public readonly record struct LlamaLogitBias(LlamaToken Token, float Bias);
