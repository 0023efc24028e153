using System.Text.Json;

namespace Corral.Bench.Soak;

/// <summary>Request bodies, written with <see cref="Utf8JsonWriter"/> (no serializer, no reflection).</summary>
internal static class RequestBodies
{
    public static byte[] Generate(string model, string prompt, bool stream, int numPredict) => Write(json =>
    {
        json.WriteString("model", model);
        json.WriteString("prompt", prompt);
        json.WriteBoolean("stream", stream);
        WriteOptions(json, numPredict);
    });

    public static byte[] Chat(string model, IReadOnlyList<(string Role, string Content)> messages, bool stream, int numPredict) => Write(json =>
    {
        json.WriteString("model", model);
        WriteMessages(json, messages);
        json.WriteBoolean("stream", stream);
        WriteOptions(json, numPredict);
    });

    public static byte[] OpenAIChat(string model, IReadOnlyList<(string Role, string Content)> messages, bool stream, int maxTokens) => Write(json =>
    {
        json.WriteString("model", model);
        WriteMessages(json, messages);
        json.WriteNumber("max_tokens", maxTokens);
        json.WriteBoolean("stream", stream);
    });

    public static byte[] Embed(string model, IReadOnlyList<string> inputs) => Write(json =>
    {
        json.WriteString("model", model);
        json.WriteStartArray("input");
        foreach (var input in inputs)
        {
            json.WriteStringValue(input);
        }

        json.WriteEndArray();
    });

    public static byte[] OpenAIEmbeddings(string model, string input) => Write(json =>
    {
        json.WriteString("model", model);
        json.WriteString("input", input);
    });

    public static byte[] Show(string model) => Write(json => json.WriteString("model", model));

    private static void WriteOptions(Utf8JsonWriter json, int numPredict)
    {
        json.WriteStartObject("options");
        json.WriteNumber("num_predict", numPredict);
        json.WriteEndObject();
    }

    private static void WriteMessages(Utf8JsonWriter json, IReadOnlyList<(string Role, string Content)> messages)
    {
        json.WriteStartArray("messages");
        foreach (var (role, content) in messages)
        {
            json.WriteStartObject();
            json.WriteString("role", role);
            json.WriteString("content", content);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> fields)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            fields(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
