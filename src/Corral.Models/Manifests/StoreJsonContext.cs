using System.Text.Json;
using System.Text.Json.Serialization;

namespace Corral.Models.Manifests;

/// <summary>Source-generated JSON for everything the store reads and writes (no reflection).</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(Manifest))]
[JsonSerializable(typeof(ModelConfig))]
[JsonSerializable(typeof(List<ManifestMessage>))]
[JsonSerializable(typeof(Dictionary<string, JsonElement>))]
public sealed partial class StoreJsonContext : JsonSerializerContext;
