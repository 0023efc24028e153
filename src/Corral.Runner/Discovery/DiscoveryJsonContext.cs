using System.Text.Json.Serialization;

namespace Corral.Runner.Discovery;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeviceReport))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext;
