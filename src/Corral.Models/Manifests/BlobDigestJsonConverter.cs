using System.Text.Json;
using System.Text.Json.Serialization;
using Corral.Models.Names;

namespace Corral.Models.Manifests;

/// <summary>Reads and writes a <see cref="BlobDigest"/> as its <c>sha256:hex</c> string.</summary>
public sealed class BlobDigestJsonConverter : JsonConverter<BlobDigest>
{
    public override BlobDigest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return BlobDigest.TryParse(text, out var digest)
            ? digest
            : throw new JsonException($"invalid digest '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, BlobDigest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
