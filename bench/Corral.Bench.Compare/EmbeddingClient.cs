using System.Net.Http.Headers;
using System.Text.Json;

namespace Corral.Bench.Compare;

/// <summary><c>/v1/embeddings</c> with one input per request (the same request on both servers).</summary>
internal sealed class EmbeddingClient(HttpClient http, string model)
{
    /// <summary>Embeds <paramref name="input"/>; returns the vector's length (checked once at warm-up).</summary>
    public async Task<int> EmbedAsync(string input, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", model);
            json.WriteString("input", input);
            json.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/embeddings") { Content = new ByteArrayContent(buffer.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.ConnectionClose = true; // see BenchHttp
        using var response = await http.SendAsync(request, cancellation).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{http.BaseAddress}v1/embeddings answered {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}");
        }

        return VectorLength(body);
    }

    /// <summary>Length of the first "embedding" array in the answer.</summary>
    private static int VectorLength(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("embedding"u8))
            {
                reader.Read();
                var length = 0;
                while (reader.Read() && reader.TokenType == JsonTokenType.Number)
                {
                    length++;
                }

                return length;
            }
        }

        throw new InvalidOperationException("the embeddings answer has no embedding");
    }
}
