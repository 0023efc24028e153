using System.Text.Json.Serialization;

namespace Corral.Models.Registry;

/// <summary>A token endpoint's answer; registries use either name (distribution's token spec allows both).</summary>
public sealed class RegistryTokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }
}
