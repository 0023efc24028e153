using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Anthropic;
using Corral.Api.Ollama;
using Corral.Server.Http;
using OllamaToolCall = Corral.Api.Ollama.ToolCall;

namespace Corral.Server.Anthropic;

/// <summary>An Anthropic Messages request → the native <see cref="ChatRequest"/> the preparer runs.</summary>
internal static class MessagesTranslation
{
    public static ChatRequest ToOllama(MessagesRequest request, bool requireMaxTokens)
    {
        // The first three checks in Ollama's order and words (its middleware makes them before converting anything).
        if (string.IsNullOrEmpty(request.Model))
        {
            throw ApiException.BadRequest("model is required");
        }

        if (requireMaxTokens && request.MaxTokens is null or < 1)
        {
            throw ApiException.BadRequest("max_tokens is required and must be positive");
        }

        if (request.Messages.Count == 0)
        {
            throw ApiException.BadRequest("messages is required");
        }

        if (request.Temperature is < 0 or > 1)
        {
            throw ApiException.BadRequest("temperature: must be between 0 and 1");
        }

        if (request.TopP is < 0 or > 1)
        {
            throw ApiException.BadRequest("top_p: must be between 0 and 1");
        }

        return new ChatRequest
        {
            Model = request.Model,
            Messages = Messages(request),
            Stream = request.Stream,
            Tools = Tools(request.Tools, request.ToolChoice),
            Think = Think(request.Thinking),
            Options = new ModelOptions
            {
                NumPredict = request.MaxTokens,
                Temperature = request.Temperature,
                TopP = request.TopP,
                TopK = request.TopK,
                Stop = request.StopSequences is { Count: > 0 } stop ? stop.ToList() : null,
            },
        };
    }

    public static ThinkValue? Think(ThinkingConfig? thinking) => thinking?.Type switch
    {
        null => null,
        "enabled" or "adaptive" => ThinkValue.True,
        "disabled" => ThinkValue.False,
        var other => throw ApiException.BadRequest($"thinking.type: unsupported value \"{other}\" (must be \"enabled\" or \"disabled\")"),
    };

    /// <summary>
    /// tool_choice: "none" offers no tools; "tool" offers only the named one; "auto" and "any" offer all.
    /// "any" and "tool" also hold the output to a call (<see cref="Inference.RequiredToolCall"/>).
    /// </summary>
    public static IReadOnlyList<Tool>? Tools(IReadOnlyList<AnthropicTool>? tools, ToolChoice? choice)
    {
        if (tools is not { Count: > 0 })
        {
            return null;
        }

        var converted = new List<Tool>(tools.Count);
        foreach (var tool in tools)
        {
            if (tool.Type is not (null or "custom"))
            {
                throw ApiException.BadRequest($"tools: server tool type \"{tool.Type}\" is not supported");
            }

            if (string.IsNullOrEmpty(tool.Name))
            {
                throw ApiException.BadRequest("tools: every tool needs a name");
            }

            converted.Add(new Tool { Function = new ToolFunction { Name = tool.Name, Description = tool.Description, Parameters = tool.InputSchema } });
        }

        switch (choice?.Type)
        {
            case null or "auto" or "any":
                return converted;
            case "none":
                return null;
            case "tool":
                var only = converted.Where(t => t.Function.Name == choice.Name).ToList();
                return only.Count > 0 ? only : throw ApiException.BadRequest($"tool_choice: tool \"{choice.Name}\" is not in tools");
            default:
                throw ApiException.BadRequest($"tool_choice.type: unsupported value \"{choice.Type}\" (must be \"auto\", \"any\", \"tool\" or \"none\")");
        }
    }

    public static List<Message> Messages(MessagesRequest request)
    {
        var result = new List<Message>(request.Messages.Count + 1);
        if (request.System is { } system && system.JoinedText() is { Length: > 0 } text)
        {
            result.Add(new Message { Role = "system", Content = text });
        }

        // tool_use id → tool name, so a tool_result can name its tool for the template.
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in request.Messages)
        {
            switch (m.Role)
            {
                case "user":
                    AddUser(m.Content, toolNames, result);
                    break;
                case "assistant":
                    result.Add(Assistant(m.Content, toolNames));
                    break;
                default:
                    throw ApiException.BadRequest($"messages: role must be \"user\" or \"assistant\", got \"{m.Role}\"");
            }
        }

        return result;
    }

    /// <summary>A user turn: each tool_result becomes a native "tool" message, the rest one user message after them.</summary>
    private static void AddUser(MessageContent content, Dictionary<string, string> toolNames, List<Message> result)
    {
        if (content.Blocks is not { } blocks)
        {
            result.Add(new Message { Role = "user", Content = content.Text ?? string.Empty });
            return;
        }

        List<byte[]>? images = null;
        var hasUserPart = false;
        foreach (var block in blocks)
        {
            switch (block.Type)
            {
                case "text":
                    hasUserPart = true;
                    break;
                case "image":
                    (images ??= []).Add(Image(block.Source));
                    hasUserPart = true;
                    break;
                case "tool_result":
                    result.Add(ToolResult(block, toolNames));
                    break;
                case "document" or "search_result":
                    throw ApiException.BadRequest($"messages: content block type \"{block.Type}\" is not supported");
                default:
                    throw ApiException.BadRequest($"messages: unsupported content block type \"{block.Type}\" in a user message");
            }
        }

        if (hasUserPart)
        {
            result.Add(new Message { Role = "user", Content = content.JoinedText(), Images = images });
        }
    }

    private static Message ToolResult(ContentBlock block, Dictionary<string, string> toolNames)
    {
        List<byte[]>? images = null;
        foreach (var part in block.Content?.Blocks ?? [])
        {
            if (part.Type == "image")
            {
                (images ??= []).Add(Image(part.Source ?? throw ApiException.BadRequest("invalid tool_result image source")));
            }
        }

        return new Message
        {
            Role = "tool",
            Content = block.Content?.JoinedText() ?? string.Empty,
            Images = images,
            ToolCallId = block.ToolUseId,
            ToolName = block.ToolUseId is { } id && toolNames.TryGetValue(id, out var name) ? name : null,
        };
    }

    private static Message Assistant(MessageContent content, Dictionary<string, string> toolNames)
    {
        var message = new Message { Role = "assistant", Content = content.JoinedText() };
        if (content.Blocks is not { } blocks)
        {
            return message;
        }

        List<OllamaToolCall>? calls = null;
        string? thinking = null;
        foreach (var block in blocks)
        {
            switch (block.Type)
            {
                case "text":
                    break;
                case "thinking":
                    thinking += block.Thinking;
                    break;
                case "redacted_thinking":
                    break; // opaque to anyone but Anthropic
                case "tool_use":
                    calls ??= [];
                    calls.Add(ToolUse(block, calls.Count));
                    if (block.Id is { } id && block.Name is { } name)
                    {
                        toolNames[id] = name;
                    }

                    break;
                default:
                    throw ApiException.BadRequest($"messages: unsupported content block type \"{block.Type}\" in an assistant message");
            }
        }

        message.Thinking = thinking;
        message.ToolCalls = calls;
        return message;
    }

    private static OllamaToolCall ToolUse(ContentBlock block, int index)
    {
        // Without an id no tool_result can answer the call, without a name the template can't render it.
        if (string.IsNullOrEmpty(block.Id))
        {
            throw ApiException.BadRequest("tool_use block missing required 'id' field");
        }

        if (string.IsNullOrEmpty(block.Name))
        {
            throw ApiException.BadRequest("tool_use block missing required 'name' field");
        }

        var arguments = block.Input is { ValueKind: JsonValueKind.Object } input
            ? JsonObject.Create(input) ?? []
            : block.Input is null or { ValueKind: JsonValueKind.Null }
                ? []
                : throw ApiException.BadRequest("messages: tool_use input must be an object");
        return new OllamaToolCall
        {
            Id = block.Id,
            Function = new ToolCallFunction { Index = index, Name = block.Name ?? string.Empty, Arguments = arguments },
        };
    }

    /// <summary>A base64 image source, refused in Ollama's words otherwise (URL sources are not fetched).</summary>
    private static byte[] Image(ImageSource? source)
    {
        if (source is null)
        {
            throw ApiException.BadRequest("invalid image source");
        }

        if (source.Type != "base64")
        {
            throw ApiException.BadRequest($"invalid image source type: {source.Type}. Only base64 images are supported.");
        }

        var data = source.Data ?? string.Empty;
        try
        {
            return Convert.FromBase64String(data);
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest($"invalid base64 image data: illegal base64 data at input byte {FirstBadBase64Byte(data)}");
        }
    }

    /// <summary>
    /// Where the data stops being base64, for Go's "illegal base64 data at input byte N" that Ollama reports: the first
    /// character outside the alphabet (Go names the same byte), else the length (the data ends early or is padded wrongly;
    /// Go may name a byte a little before it).
    /// </summary>
    private static int FirstBadBase64Byte(string data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            var c = data[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '\r' or '\n'))
            {
                return i;
            }
        }

        return data.Length;
    }
}
