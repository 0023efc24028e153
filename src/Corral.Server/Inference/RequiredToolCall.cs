using System.Buffers;
using System.Text.Json;
using Corral.Api.Ollama;
using Corral.Llama.Grammar;
using Corral.Templates.Parsing;

namespace Corral.Server.Inference;

/// <summary>
/// Makes "must call a tool" real (OpenAI <c>tool_choice: "required"</c> or a named function, Anthropic
/// <c>any</c>/<c>tool</c>, Responses likewise), where Ollama only offers the tools: the sampler is held to
/// a grammar that admits only calls of the offered tools, with arguments valid against their
/// parameter schemas, in the model's own tool-call syntax.
/// </summary>
public static class RequiredToolCall
{
    /// <summary>
    /// The grammar, or null where forcing is not possible or not wise: the template has no tool-call syntax,
    /// the model thinks first (the grammar would forbid the thinking), or a tool's parameters use schema
    /// features the converter cannot enforce. Then the tools are only offered, as in Ollama.
    /// </summary>
    public static string? GrammarFor(IReadOnlyList<Tool>? tools, OutputParserOptions parser, bool allowSeveral)
    {
        if (tools is not { Count: > 0 } || !parser.ParsesToolCalls || parser.ParseThinking)
        {
            return null;
        }

        using var schema = JsonDocument.Parse(CallSchema(tools));
        try
        {
            return ToolCallGrammar.Convert(
                schema.RootElement,
                parser.ToolCallOpenTag,
                parser.ToolCallCloseTag,
                openTagOptional: parser.BareJsonToolCalls && parser.ToolCallOpenTag is not null,
                allowSeveral);
        }
        catch (JsonSchemaNotSupportedException)
        {
            return null;
        }
    }

    /// <summary><c>{"anyOf": [{"type": "object", "properties": {"name": {"const": N}, "arguments": P}, ...}, ...]}</c>.</summary>
    private static ReadOnlyMemory<byte> CallSchema(IReadOnlyList<Tool> tools)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("anyOf");
            foreach (var tool in tools)
            {
                json.WriteStartObject();
                json.WriteString("type", "object");
                json.WriteStartObject("properties");
                json.WriteStartObject("name");
                json.WriteString("const", tool.Function.Name);
                json.WriteEndObject();
                json.WritePropertyName("arguments");
                if (tool.Function.Parameters is { ValueKind: JsonValueKind.Object } parameters)
                {
                    parameters.WriteTo(json);
                }
                else
                {
                    json.WriteStartObject();
                    json.WriteString("type", "object");
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteStartArray("required");
                json.WriteStringValue("name");
                json.WriteStringValue("arguments");
                json.WriteEndArray();
                json.WriteBoolean("additionalProperties", false);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
