using System.Text.Json;

namespace Corral.Bench.Compare;

/// <summary>
/// What the bench needs from one <c>/v1/completions</c> SSE chunk of either server: whether it carries text,
/// and the usage counts when it has them. The names looked for occur nowhere else in these chunks.
/// </summary>
internal readonly record struct CompletionChunkScan(bool HasText, int? CompletionTokens, int? PromptTokens, int? CachedTokens, string? Error)
{
    public static CompletionChunkScan Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        bool hasText = false;
        int? completion = null, prompt = null, cached = null;
        string? error = null;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                hasText |= reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("error"u8) && reader.CurrentDepth == 1)
            {
                error = JsonDocument.ParseValue(ref reader).RootElement.ToString();
            }
        }

        return new CompletionChunkScan(hasText, completion, prompt, cached, error);
    }

    private static int? ReadInt(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : null;
}
