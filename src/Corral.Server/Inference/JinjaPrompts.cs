using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Api.Ollama;
using Corral.Server.Http;
using Corral.Templates.Jinja;

namespace Corral.Server.Inference;

/// <summary>
/// Renders with the chat template inside the GGUF (<c>tokenizer.chat_template</c>) when a model has
/// no Go template — a GGUF imported directly. Messages and tools go to the template in the shape
/// Hugging Face templates expect.
/// </summary>
internal static class JinjaPrompts
{
    /// <summary>
    /// Renders <paramref name="messages"/> with <paramref name="template"/>; <paramref name="cancellation"/> (the client
    /// went away) stops a render that would otherwise run until its time limit.
    /// </summary>
    public static string Render(string template, IReadOnlyList<Message> messages, IReadOnlyList<Tool>? tools, ThinkValue? think, TemplateTokens tokens, CancellationToken cancellation = default)
    {
        var list = new JsonArray();
        foreach (var m in messages)
        {
            var node = new JsonObject { ["role"] = m.Role, ["content"] = m.Content };
            if (!string.IsNullOrEmpty(m.Thinking))
            {
                node["reasoning_content"] = m.Thinking;
            }

            if (m.ToolCalls is { Count: > 0 } calls)
            {
                var array = new JsonArray();
                foreach (var call in calls)
                {
                    array.Add(new JsonObject
                    {
                        ["type"] = "function",
                        ["id"] = call.Id,
                        ["function"] = new JsonObject { ["name"] = call.Function.Name, ["arguments"] = call.Function.Arguments.DeepClone() },
                    });
                }

                node["tool_calls"] = array;
            }

            if (!string.IsNullOrEmpty(m.ToolName))
            {
                node["name"] = m.ToolName;
            }

            if (!string.IsNullOrEmpty(m.ToolCallId))
            {
                node["tool_call_id"] = m.ToolCallId;
            }

            list.Add(node);
        }

        object? toolsNode = null;
        if (tools is { Count: > 0 })
        {
            var array = new JsonArray();
            foreach (var tool in tools)
            {
                var function = new JsonObject { ["name"] = tool.Function.Name };
                if (tool.Function.Description is { } d)
                {
                    function["description"] = d;
                }

                if (tool.Function.Parameters is { } p)
                {
                    function["parameters"] = JsonNode.Parse(p.GetRawText());
                }

                array.Add(new JsonObject { ["type"] = tool.Type, ["function"] = function });
            }

            toolsNode = array;
        }

        try
        {
            var rendered = JinjaChatTemplate.Render(template, new JinjaChatInput
            {
                Messages = list,
                Tools = toolsNode,
                AddGenerationPrompt = true,
                BosToken = tokens.Bos,
                EosToken = tokens.Eos,
                EnableThinking = think is { } t ? t.IsEnabled : null,
            }, cancellation: cancellation);
            return tokens.WithoutLeadingBos(rendered);
        }
        catch (JinjaRaiseException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
        catch (JinjaException ex)
        {
            throw new ApiException(500, $"chat template error: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw ApiException.BadRequest(ex.Message);
        }
    }
}
