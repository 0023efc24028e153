using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Corral.Gateway.Fleet;

namespace Corral.Gateway.Routing;

/// <summary>
/// What the router reads from a request body: the model, and the affinity text (system prompt, instructions, the
/// first messages or the start of the prompt) whose hash keeps a conversation on one backend, where its prefix is
/// cached. Later turns repeat exactly this beginning, so they hash alike.
/// </summary>
public sealed record RequestSummary(string ModelKey, string? Model, ulong? AffinityHash)
{
    /// <summary>How much of the conversation's beginning is hashed: enough to tell conversations apart.</summary>
    public const int AffinityChars = 1024;

    public static RequestSummary Empty { get; } = new(string.Empty, null, null);

    public static RequestSummary Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Empty;
            }

            var model = String(root, "model") ?? String(root, "name");
            var text = new StringBuilder();
            AppendText(text, Property(root, "system"));
            AppendText(text, Property(root, "instructions"));
            if (Property(root, "messages") is { ValueKind: JsonValueKind.Array } messages)
            {
                AppendOpeningMessages(text, messages);
            }

            AppendText(text, Property(root, "prompt"));
            AppendText(text, Property(root, "input"));
            var key = Fleet.ModelKey.Of(model);
            ulong? hash = text.Length == 0 ? null : Hash(key + "\n" + (text.Length > AffinityChars ? text.ToString(0, AffinityChars) : text.ToString()));
            return new RequestSummary(key, model, hash);
        }
        catch (JsonException)
        {
            return Empty;
        }
    }

    public static ulong Hash(string text) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    /// <summary>System messages and the first user message: what every later turn of the conversation starts with.</summary>
    private static void AppendOpeningMessages(StringBuilder text, JsonElement messages)
    {
        foreach (var message in messages.EnumerateArray())
        {
            if (text.Length >= AffinityChars || message.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            var role = String(message, "role");
            AppendText(text, Property(message, "content"));
            if (role is not ("system" or "developer"))
            {
                return;
            }
        }
    }

    /// <summary>A string, or the text parts of an array of strings or content parts ({"type": "text", "text": ...}).</summary>
    private static void AppendText(StringBuilder text, JsonElement? value)
    {
        if (value is not { } element || text.Length >= AffinityChars)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                text.Append(element.GetString()).Append('\n');
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (text.Length >= AffinityChars)
                    {
                        return;
                    }

                    if (item.ValueKind == JsonValueKind.String)
                    {
                        text.Append(item.GetString()).Append('\n');
                    }
                    else if (item.ValueKind == JsonValueKind.Object)
                    {
                        AppendText(text, Property(item, "text"));
                        AppendText(text, Property(item, "content"));
                    }
                }

                break;
        }
    }

    private static JsonElement? Property(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) ? value : null;

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
