using System.Text.Json;
using Corral.Templates.Prompting;

namespace Corral.Templates.Tests.Prompting;

/// <summary>Library-style templates rendered through Ollama's chat path; expected prompts come from Go (see GoOracle).</summary>
public sealed class RealTemplateTests
{
    private static OllamaTemplate Load(string file) =>
        OllamaTemplate.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Prompting", "Templates", file)));

    private static string Expected(string file, string scenario)
    {
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "GoOracle", "ollama-renders.txt")))
        {
            var parts = line.Split(' ', 3);
            if (parts[0] == file && parts[1] == scenario)
            {
                return JsonSerializer.Deserialize<string>(parts[2])!;
            }
        }
        throw new InvalidOperationException($"no expectation for {file} {scenario}");
    }

    internal static Tool WeatherTool()
    {
        var properties = new ToolPropertyMap();
        properties.Add("location", new ToolProperty { Type = ["string"], Description = "City & country" });
        properties.Add("unit", new ToolProperty { Type = ["string"], Enum = ["celsius", "fahrenheit"] });
        return new Tool
        {
            Function = new ToolFunction
            {
                Name = "get_weather",
                Description = "Get the <current> weather",
                Parameters = new ToolParameters { Required = ["location"], Properties = properties },
            },
        };
    }

    private static (List<ChatMessage> Messages, IReadOnlyList<Tool>? Tools, ThinkValue? Think) Scenario(string name)
    {
        var think = new List<ChatMessage>
        {
            ChatMessage.User("Hi"),
            new() { Role = "assistant", Content = "Hello!", Thinking = "greet" },
            ChatMessage.User("2+2?"),
        };
        return name switch
        {
            "tools" => (
            [
                ChatMessage.System("Be brief."),
                ChatMessage.User("What's the weather in Paris?"),
                new()
                {
                    Role = "assistant",
                    ToolCalls = [new ToolCall { Function = new ToolCallFunction { Name = "get_weather", Arguments = new ToolCallArguments { ["unit"] = "celsius", ["location"] = "Paris, FR" } } }],
                },
                new() { Role = "tool", Content = "22 degrees", ToolName = "get_weather" },
            ], [WeatherTool()], null),
            "plain" => ([ChatMessage.User("Hello")], null, null),
            "think" => (think, null, ThinkValue.FromBool(true)),
            "nothink" => (think, null, ThinkValue.FromBool(false)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [InlineData("llama3.1.gotmpl", "tools")]
    [InlineData("llama3.1.gotmpl", "plain")]
    [InlineData("llama3.1.gotmpl", "think")]
    [InlineData("mistral.gotmpl", "tools")]
    [InlineData("mistral.gotmpl", "plain")]
    [InlineData("mistral.gotmpl", "think")]
    [InlineData("qwen-tools.gotmpl", "tools")]
    [InlineData("qwen-tools.gotmpl", "plain")]
    [InlineData("qwen-tools.gotmpl", "think")]
    [InlineData("think.gotmpl", "tools")]
    [InlineData("think.gotmpl", "plain")]
    [InlineData("think.gotmpl", "think")]
    [InlineData("think.gotmpl", "nothink")]
    public void RendersLikeOllama(string file, string scenario)
    {
        var (messages, tools, think) = Scenario(scenario);
        var prompt = PromptRenderer.BuildChatPrompt(Load(file), messages, tools, think).Prompt;
        Assert.Equal(Expected(file, scenario), prompt);
    }

    // Expected outputs are Ollama's own template testdata; both the .Messages path and the per-turn legacy path
    // must produce them.
    private const string ChatMlExpected =
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\nHello, how are you?<|im_end|>\n" +
        "<|im_start|>assistant\nI'm doing great. How can I help you today?<|im_end|>\n<|im_start|>user\n" +
        "I'd like to show off how chat templating works!<|im_end|>\n<|im_start|>assistant\n";

    private const string Llama3Expected =
        "<|start_header_id|>system<|end_header_id|>\n\nYou are a helpful assistant.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n" +
        "Hello, how are you?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nI'm doing great. How can I help you today?<|eot_id|>" +
        "<|start_header_id|>user<|end_header_id|>\n\nI'd like to show off how chat templating works!<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";

    private static List<ChatMessage> SystemUserAssistantUser() =>
    [
        ChatMessage.System("You are a helpful assistant."),
        ChatMessage.User("Hello, how are you?"),
        ChatMessage.Assistant("I'm doing great. How can I help you today?"),
        ChatMessage.User("I'd like to show off how chat templating works!"),
    ];

    [Theory]
    [InlineData("chatml.gotmpl", ChatMlExpected, false)]
    [InlineData("chatml.gotmpl", ChatMlExpected, true)]
    [InlineData("llama3-instruct.gotmpl", Llama3Expected, false)]
    [InlineData("llama3-instruct.gotmpl", Llama3Expected, true)]
    public void MessagesAndLegacyPathsAgree(string file, string expected, bool legacy)
    {
        var template = Load(file);
        var prompt = template.Render(new PromptValues { Messages = SystemUserAssistantUser(), ForceLegacy = legacy });
        Assert.Equal(expected, prompt);
    }

    [Fact]
    public void LegacyTemplateRendersPerTurnAndLeavesLastResponseOpen()
    {
        var template = Load("alpaca-legacy.gotmpl");
        Assert.False(template.UsesMessages);
        var prompt = PromptRenderer.BuildChatPrompt(template, SystemUserAssistantUser(), null, null).Prompt;
        Assert.Equal(
            "You are a helpful assistant.\n\n### Instruction:\nHello, how are you?\n\n### Response:\nI'm doing great. How can I help you today?\n\n" +
            "### Instruction:\nI'd like to show off how chat templating works!\n\n### Response:\n",
            prompt);
    }

    [Fact]
    public void LegacyTemplateContinuesAPrefilledAssistantReply()
    {
        var template = Load("alpaca-legacy.gotmpl");
        var prompt = template.Render(new PromptValues { Messages = [ChatMessage.User("Count"), ChatMessage.Assistant("1, 2,")] });
        Assert.Equal("### Instruction:\nCount\n\n### Response:\n1, 2,", prompt);
    }
}
