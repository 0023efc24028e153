using System.Text.Json.Serialization;

namespace Corral.Api.Anthropic;

/// <summary><c>{"type": "enabled", "budget_tokens": n}</c> or <c>{"type": "disabled"}</c>.</summary>
public sealed class ThinkingConfig
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = string.Empty;

    [JsonPropertyName("budget_tokens")]
    public int? BudgetTokens { get; set; }
}
