using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Api.Json;

namespace Corral.Api.Rerank;

/// <summary>
/// Source-generated metadata for the rerank wire types. Null properties are left out; names match
/// case-insensitively on read. Use <see cref="Wire"/> for writing to clients (UTF-8 text unescaped).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(RerankRequest))]
[JsonSerializable(typeof(RerankResponse))]
public sealed partial class RerankJsonContext : JsonSerializerContext
{
    public static RerankJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNameCaseInsensitive = true,
        Encoder = GoJsonEncoder.Instance,
    });
}
