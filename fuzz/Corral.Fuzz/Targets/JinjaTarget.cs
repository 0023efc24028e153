using System.Text.Json.Nodes;
using Corral.Templates.Jinja;

namespace Corral.Fuzz.Targets;

/// <summary>
/// A GGUF's <c>tokenizer.chat_template</c>: parsed and rendered for a short conversation with the variables Hugging
/// Face passes. Rendering is bounded by a cancellation token, so a template that only loops long is not a finding;
/// one that runs away without reaching a loop check is (the replay test bounds each input's time).
/// </summary>
public sealed class JinjaTarget : IFuzzTarget
{
    private static readonly TimeSpan RenderLimit = TimeSpan.FromSeconds(1);

    public string Name => "jinja";

    public void Run(ReadOnlySpan<byte> data)
    {
        JinjaTemplate template;
        try
        {
            template = JinjaTemplate.Parse(FuzzText.Decode(data));
        }
        catch (JinjaException)
        {
            return;
        }

        using var limit = new CancellationTokenSource(RenderLimit);
        try
        {
            _ = template.Render(Variables(), cancellation: limit.Token);
        }
        catch (JinjaException)
        {
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
        }
    }

    private static Dictionary<string, object?> Variables() => new(StringComparer.Ordinal)
    {
        ["messages"] = new JsonArray(
            new JsonObject { ["role"] = "system", ["content"] = "be brief" },
            new JsonObject { ["role"] = "user", ["content"] = "hi" },
            new JsonObject
            {
                ["role"] = "assistant",
                ["content"] = "",
                ["tool_calls"] = new JsonArray(new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = "f", ["arguments"] = new JsonObject { ["x"] = 1 } },
                }),
            },
            new JsonObject { ["role"] = "tool", ["content"] = "2" },
            new JsonObject { ["role"] = "user", ["content"] = "why?" }),
        ["tools"] = new JsonArray(new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = "f", ["parameters"] = new JsonObject { ["type"] = "object" } },
        }),
        ["add_generation_prompt"] = true,
        ["bos_token"] = "<s>",
        ["eos_token"] = "</s>",
    };
}
