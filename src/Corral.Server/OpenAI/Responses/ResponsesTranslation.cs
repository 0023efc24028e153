using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Ollama;
using Corral.Api.OpenAI.Responses;
using Corral.Server.Http;
using OllamaToolCall = Corral.Api.Ollama.ToolCall;

namespace Corral.Server.OpenAI.Responses;

/// <summary>A Responses API request (its input already preceded by any stored history) → the native <see cref="ChatRequest"/> the preparer runs.</summary>
internal static class ResponsesTranslation
{
    private static readonly JsonElement JsonFormat = JsonDocument.Parse("\"json\"").RootElement.Clone();

    public static ChatRequest ToOllama(ResponsesRequest request)
    {
        if (string.IsNullOrEmpty(request.Model))
        {
            throw ApiException.BadRequest("model is required");
        }

        if (request.MaxOutputTokens is < 1)
        {
            throw ApiException.BadRequest("max_output_tokens must be at least 1");
        }

        var options = SamplingTranslation.Options(request.MaxOutputTokens, request.Temperature, request.TopP, request.Seed, null, null, null);

        // As in Ollama's Responses layer: an absent temperature is OpenAI's 1.0, an absent top_p the model's own.
        options.TopP = request.TopP;
        return new ChatRequest
        {
            Model = request.Model,
            Messages = Messages(request),
            Stream = request.Stream,
            Format = Format(request.Text?.Format),
            Tools = Tools(request.Tools, request.ToolChoice),
            Options = options,
            Think = ChatTranslation.Think(request.Reasoning?.Effort),
            Truncate = request.Truncation switch
            {
                null => null,
                "auto" => true,
                "disabled" => false,
                var other => throw ApiException.BadRequest($"invalid truncation \"{other}\" (must be \"auto\" or \"disabled\")"),
            },
        };
    }

    public static JsonElement? Format(ResponsesTextFormat? format) => format?.Type switch
    {
        null or "text" => null,
        "json_object" => JsonFormat,
        "json_schema" => format.Schema is { ValueKind: JsonValueKind.Object } schema
            ? schema
            : throw ApiException.BadRequest("text.format json_schema needs a \"schema\" object"),
        var other => throw ApiException.BadRequest($"unsupported text.format type \"{other}\""),
    };

    /// <summary>
    /// Only function tools run locally. tool_choice as in chat completions: "none" offers no tools, a named
    /// function offers only that one, "auto" and "required" offer all; "required" and a named function also
    /// hold the output to a call (<see cref="Inference.RequiredToolCall"/>).
    /// </summary>
    public static IReadOnlyList<Tool>? Tools(IReadOnlyList<ResponsesTool>? tools, JsonElement? choice)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var converted = new List<Tool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool.Type != "function")
            {
                throw ApiException.BadRequest($"tool type \"{tool.Type}\" is not supported: Corral runs only function tools");
            }

            if (string.IsNullOrEmpty(tool.Name))
            {
                throw ApiException.BadRequest("every function tool needs a name");
            }

            converted.Add(new Tool { Function = new ToolFunction { Name = tool.Name, Description = tool.Description, Parameters = tool.Parameters } });
        }

        return ToolChoices.Apply(converted, choice);
    }

    public static List<Message> Messages(ResponsesRequest request)
    {
        var messages = new List<Message>();
        if (!string.IsNullOrEmpty(request.Instructions))
        {
            messages.Add(new Message { Role = "system", Content = request.Instructions });
        }

        switch (request.Input)
        {
            case null:
                throw ApiException.BadRequest("input is required");
            case { Text: { } text }:
                messages.Add(new Message { Role = "user", Content = text });
                return messages;
            case { Items.Count: 0 }:
                throw ApiException.BadRequest("input must not be empty");
        }

        // Reasoning passed back belongs to the assistant turn that follows it.
        string? thinking = null;
        var items = request.Input.Items!;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var type = item.Type ?? (item.Role is not null ? "message" : throw ApiException.BadRequest($"input[{i}]: input item missing required 'type' field"));
            switch (type)
            {
                case "message":
                    var message = InputMessage(item, i);
                    if (message.Role == "assistant" && thinking is not null)
                    {
                        message.Thinking = thinking;
                        thinking = null;
                    }

                    messages.Add(message);
                    break;
                case "function_call":
                    AddFunctionCall(messages, item, i, ref thinking);
                    break;
                case "function_call_output":
                    messages.Add(new Message
                    {
                        Role = "tool",
                        Content = item.Output?.JoinedText() ?? string.Empty,
                        Images = Images(item.Output, i),
                        ToolCallId = item.CallId,
                        ToolName = NameFromCallId(items, item.CallId),
                    });
                    break;
                case "reasoning":
                    thinking = item.EncryptedContent ?? string.Concat(item.Summary?.Select(s => s.Text) ?? []);
                    break;
                case "item_reference":
                    throw ApiException.BadRequest($"input[{i}]: item_reference is not supported: continue with previous_response_id or conversation, or send the item itself");
                default:
                    throw ApiException.BadRequest($"input[{i}]: unknown input item type: \"{type}\"");
            }
        }

        if (!string.IsNullOrEmpty(thinking))
        {
            messages.Add(new Message { Role = "assistant", Thinking = thinking });
        }

        return messages;
    }

    private static Message InputMessage(ResponsesInputItem item, int index)
    {
        var role = item.Role switch
        {
            "user" or "assistant" or "system" => item.Role,
            "developer" => "system", // OpenAI's newer name for the system role
            null or "" => throw ApiException.BadRequest($"input[{index}]: a message needs a role"),
            var other => throw ApiException.BadRequest($"input[{index}]: invalid role \"{other}\" (must be \"user\", \"assistant\", \"system\" or \"developer\")"),
        };
        return new Message { Role = role, Content = item.Content?.JoinedText() ?? string.Empty, Images = Images(item.Content, index) };
    }

    private static List<byte[]>? Images(ResponsesContent? content, int index)
    {
        List<byte[]>? images = null;
        var parts = content?.Parts ?? [];
        for (var p = 0; p < parts.Count; p++)
        {
            var part = parts[p];
            switch (part.Type)
            {
                case "input_text" or "output_text" or "text" or "refusal":
                    break;
                case "input_image" when part.ImageUrl is { } url:
                    (images ??= []).Add(ImageDataUrl.Decode(url));
                    break;
                case "input_image":
                    throw ApiException.BadRequest($"input[{index}]: input_image needs an image_url data URL (file_id is not supported)");
                case "input_file":
                    throw ApiException.BadRequest("file inputs are not currently supported");
                default:
                    throw ApiException.BadRequest($"input[{index}]: content[{p}]: unknown content type: {part.Type}");
            }
        }

        return images;
    }

    /// <summary>A function call joins the assistant message before it, if any (one turn can call several tools).</summary>
    private static void AddFunctionCall(List<Message> messages, ResponsesInputItem item, int index, ref string? thinking)
    {
        if (string.IsNullOrEmpty(item.Name))
        {
            throw ApiException.BadRequest($"input[{index}]: a function_call needs a name");
        }

        JsonObject arguments;
        try
        {
            arguments = string.IsNullOrWhiteSpace(item.Arguments)
                ? []
                : JsonNode.Parse(item.Arguments) as JsonObject ?? throw ApiException.BadRequest($"input[{index}]: function_call arguments must be a JSON object");
        }
        catch (JsonException)
        {
            throw ApiException.BadRequest($"input[{index}]: function_call arguments are not valid JSON");
        }

        var last = messages.Count > 0 && messages[^1].Role == "assistant" ? messages[^1] : null;
        if (last is null)
        {
            last = new Message { Role = "assistant" };
            messages.Add(last);
        }

        var calls = last.ToolCalls?.ToList() ?? [];
        calls.Add(new OllamaToolCall { Id = item.CallId, Function = new ToolCallFunction { Index = calls.Count, Name = item.Name, Arguments = arguments } });
        last.ToolCalls = calls;
        if (thinking is not null)
        {
            last.Thinking = thinking;
            thinking = null;
        }
    }

    /// <summary>A tool result names its call by id; the template wants the function name (last match wins, as for chat).</summary>
    private static string? NameFromCallId(IReadOnlyList<ResponsesInputItem> items, string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return null;
        }

        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (items[i].Type == "function_call" && items[i].CallId == id)
            {
                return items[i].Name;
            }
        }

        return null;
    }
}
