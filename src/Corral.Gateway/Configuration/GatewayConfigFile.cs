using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Gateway.Configuration;

/// <summary>
/// CORRAL_GATEWAY_CONFIG: a JSON file with the backends (and optionally the other settings), e.g.
/// <c>{"listen": "0.0.0.0:11434", "backends": [{"name": "a", "url": "http://10.0.0.5:11434"}]}</c>.
/// </summary>
public sealed class GatewayConfigFile
{
    [JsonPropertyName("listen")]
    public string? Listen { get; set; }

    [JsonPropertyName("backends")]
    public List<GatewayConfigBackend> Backends { get; set; } = [];

    [JsonPropertyName("api_keys_file")]
    public string? ApiKeysFile { get; set; }

    [JsonPropertyName("refresh_interval_ms")]
    public int? RefreshIntervalMs { get; set; }

    public static GatewayConfigFile Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), GatewayJsonContext.Default.GatewayConfigFile)
                ?? throw new FormatException($"{path}: empty configuration");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }
}
