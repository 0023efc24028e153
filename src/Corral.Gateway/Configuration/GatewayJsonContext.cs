using System.Text.Json.Serialization;
using Corral.Gateway.Operations;

namespace Corral.Gateway.Configuration;

/// <summary>Source-generated JSON of the gateway's own documents (its config file and its /gateway routes).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(GatewayConfigFile))]
[JsonSerializable(typeof(BackendStatusList))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
