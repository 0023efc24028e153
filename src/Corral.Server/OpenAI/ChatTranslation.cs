using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Ollama;
using Corral.Api.OpenAI;
using Corral.Server.Http;
using OllamaToolCall = Corral.Api.Ollama.ToolCall;

namespace Corral.Server.OpenAI;

/// <summary>An OpenAI chat completion request → the native <see cref="ChatRequest"/> the preparer runs.</summary>
internal static class ChatTranslation
{
    private static readonly JsonElement JsonFormat = JsonDocument.Parse("\"json\"").RootElement.Clone();

    public static ChatRequest ToOllama(ChatCompletionRequest request)
    {
        if (request.Messages.Count == 0)
        {
            // Ollama's words (OpenAI's own validator says it so).
            throw ApiException.BadRequest("[] is too short - 'messages'");
        }

        var topLogprobs = TopLogprobs(request.TopLogprobs);
        var options = SamplingTranslation.Options(
            request.MaxCompletionTokens ?? request.MaxTokens, request.Temperature, request.TopP, request.Seed, request.Stop, request.FrequencyPenalty, request.PresencePenalty)
            .WithLlamaSamplers(request);
        return new ChatRequest
        {
            Model = request.Model,
            Messages = Messages(request.Messages),
            Stream = request.Stream,
            Format = Format(request.ResponseFormat),
            Grammar = request.Grammar,
            Lora = request.Lora,
            Tools = Tools(request.Tools, request.ToolChoice),
            Options = options,
            Think = Think(request.Reasoning?.Effort ?? request.ReasoningEffort),
            Logprobs = request.Logprobs == true,
            TopLogprobs = request.Logprobs == true ? topLogprobs : 0,
        };
    }

    /// <summary>Ollama passes top_logprobs on whatever logprobs says, so its range check applies even when they are off.</summary>
    private static int TopLogprobs(int? count)
    {
        Inference.RequestValidation.CheckTopLogprobs(count ?? 0);
        return count ?? 0;
    }

    public static JsonElement? Format(ResponseFormatSpec? format) => format?.Type switch
    {
        null or "text" => null,
        "json_object" => JsonFormat,
        "json_schema" => format.JsonSchema?.Schema is { ValueKind: JsonValueKind.Object } schema
            ? schema
            : throw ApiException.BadRequest("response_format json_schema needs a \"json_schema\": {\"schema\": {...}} object"),
        var other => throw ApiException.BadRequest($"unsupported response_format type \"{other}\""),
    };

    /// <summary>
    /// reasoning effort → think, as Ollama maps it: "none" turns thinking off, a level turns it on at that level;
    /// OpenAI's "minimal" and the "xhigh"/"ultra" tiers some clients send are clamped to the nearest level
    /// rather than refused.
    /// </summary>
    public static ThinkValue? Think(string? effort) => effort switch
    {
        null or "" => null,
        "none" => ThinkValue.False,
        "minimal" => ThinkValue.FromLevel("low"),
        "xhigh" or "ultra" => ThinkValue.FromLevel("max"),
        _ when ThinkValue.IsValidLevel(effort) => ThinkValue.FromLevel(effort),
        _ => throw ApiException.BadRequest($"invalid reasoning value: \"{effort}\" (must be \"minimal\", \"low\", \"medium\", \"high\", \"xhigh\", \"ultra\", \"max\", or \"none\")"),
    };

    /// <summary>
    /// tool_choice: "none" offers no tools; a named function offers only that tool; "auto" and "required"
    /// offer all of them. "required" and a named function also hold the output to a call
    /// (<see cref="Inference.RequiredToolCall"/>), which Ollama does not.
    /// </summary>
    public static IReadOnlyList<Tool>? Tools(IReadOnlyList<OpenAITool>? tools, JsonElement? choice)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var converted = tools.Select(t => new Tool
        {
            Type = t.Type,
            Function = new ToolFunction { Name = t.Function.Name, Description = t.Function.Description, Parameters = t.Function.Parameters },
        }).ToList();
        return ToolChoices.Apply(converted, choice);
    }

    public static List<Message> Messages(IReadOnlyList<ChatMessage> messages)
    {
        var result = new List<Message>(messages.Count);
        foreach (var m in messages)
        {
            if (m.Content is null && m.ToolCalls is null)
            {
                // Only a message that calls tools may leave content out (Ollama's words, Go's name for null).
                throw ApiException.BadRequest("invalid message content type: <nil>");
            }

            var role = m.Role switch
            {
                null or "" => throw ApiException.BadRequest("every message needs a role"),
                "developer" => "system", // OpenAI's newer name for the system role
                var r => r,
            };
            var message = new Message
            {
                Role = role,
                Thinking = m.Reasoning ?? m.ReasoningContent,
                ToolCallId = m.ToolCallId,
            };
            if (m.Content?.Parts is { } parts)
            {
                List<byte[]>? images = null;
                foreach (var part in parts)
                {
                    switch (part.Type)
                    {
                        case "text" when part.Text is not null:
                            break;
                        case "image_url" when part.ImageUrl is { } url:
                            (images ??= []).Add(ImageDataUrl.Decode(url.Url));
                            break;
                        case "input_audio":
                            // Ollama takes audio for its audio models; Corral runs none.
                            throw ApiException.BadRequest("input_audio is not supported: Corral has no audio models");
                        default:
                            // Ollama's words for any part it can't read (unknown type, text without text, image without url).
                            throw ApiException.BadRequest("invalid message format");
                    }
                }

                message.Images = images;
            }

            message.Content = m.Content?.JoinedText() ?? string.Empty;
            if (m.ToolCalls is { Count: > 0 } calls)
            {
                message.ToolCalls = calls.Select(ToOllamaCall).ToList();
            }

            if (message.Role == "tool")
            {
                message.ToolName = m.Name ?? NameFromCallId(messages, m.ToolCallId);
            }

            result.Add(message);
        }

        return result;
    }

    private static OllamaToolCall ToOllamaCall(OpenAIToolCall call, int index)
    {
        // Ollama's words for arguments that are not a JSON object. Empty arguments stay allowed (a call without
        // parameters), where Ollama refuses them.
        JsonObject arguments;
        try
        {
            arguments = string.IsNullOrWhiteSpace(call.Function.Arguments)
                ? []
                : JsonNode.Parse(call.Function.Arguments) as JsonObject ?? throw ApiException.BadRequest("invalid tool call arguments");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest("invalid tool call arguments");
        }

        return new OllamaToolCall
        {
            Id = call.Id,
            Function = new ToolCallFunction { Index = index, Name = call.Function.Name ?? string.Empty, Arguments = arguments },
        };
    }

    /// <summary>A tool result names its call by id; the template wants the function name (last match wins, as Ollama).</summary>
    private static string? NameFromCallId(IReadOnlyList<ChatMessage> messages, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        for (var i = messages.Count - 1; i >= 0; i--)
        {
            foreach (var call in messages[i].ToolCalls ?? [])
            {
                if (call.Id == id)
                {
                    return call.Function.Name;
                }
            }
        }

        return null;
    }
}
