using System.Text.Json.Serialization;

namespace Corral.Runner.Protocol;

public sealed class TokenizeRequest
{
    [JsonPropertyName("content")][JsonConverter(typeof(SegmentedStringConverter))] public string Content { get; set; } = string.Empty;
    [JsonPropertyName("add_special")] public bool AddSpecial { get; set; } = true;
    [JsonPropertyName("parse_special")] public bool ParseSpecial { get; set; } = true;

    /// <summary>
    /// When set, a text with more tokens than this may be answered with only its leading tokens (more than
    /// <c>limit</c> of them): enough to tell that it does not fit, without tokenizing megabytes.
    /// </summary>
    [JsonPropertyName("limit")] public int? Limit { get; set; }

    /// <summary>Encoded images to measure: the answer's <see cref="TokenizeResponse.ImageTokens"/> has the positions each takes.</summary>
    [JsonPropertyName("images")] public List<byte[]>? Images { get; set; }
}
