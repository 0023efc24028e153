using Corral.Templates.GoTemplates;
using Corral.Templates.Prompting;

namespace Corral.Templates.Tests.Prompting;

public sealed class PromptRendererTests
{
    private const string ChatMl =
        "{{- range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}<|im_start|>assistant\n";

    [Fact]
    public void ConsecutiveMessagesOfOneRoleAreMergedButToolMessagesAreNot()
    {
        var template = OllamaTemplate.Parse("{{ range .Messages }}[{{ .Role }}:{{ .Content }}]{{ end }}|{{ .System }}");
        var prompt = template.Render(new PromptValues
        {
            Messages =
            [
                ChatMessage.System("s1"), ChatMessage.System("s2"), ChatMessage.User("a"), ChatMessage.User("b"),
                new() { Role = "tool", Content = "t1" }, new() { Role = "tool", Content = "t2" },
            ],
        });
        Assert.Equal("[system:s1\n\ns2][user:a\n\nb][tool:t1][tool:t2]|s1\n\ns2", prompt);
    }

    [Fact]
    public void TemplatesWithoutResponseGetItAppended()
    {
        var template = OllamaTemplate.Parse("Q: {{ .Prompt }} A: ");
        Assert.Equal("Q: hi A: ", PromptRenderer.RenderGenerate(template, new GenerateInput { Prompt = "hi" }));
        Assert.Equal("Q: hi A: 42", template.Render(new PromptValues { Messages = [ChatMessage.User("hi"), ChatMessage.Assistant("42")] }));
    }

    [Fact]
    public void GenerateUsesModelSystemUnlessTheRequestHasOne()
    {
        var template = OllamaTemplate.Parse("{{ if .System }}<s>{{ .System }}</s>{{ end }}{{ .Prompt }}");
        Assert.Equal("<s>model</s>hi", PromptRenderer.RenderGenerate(template, new GenerateInput { Prompt = "hi", ModelSystem = "model" }));
        Assert.Equal("<s>req</s>hi", PromptRenderer.RenderGenerate(template, new GenerateInput { Prompt = "hi", ModelSystem = "model", System = "req" }));
    }

    [Fact]
    public void GenerateRawBypassesTheTemplate() =>
        Assert.Equal("{{ raw }}", PromptRenderer.RenderGenerate(OllamaTemplate.Parse("X {{ .Prompt }}"), new GenerateInput { Prompt = "{{ raw }}", Raw = true }));

    [Fact]
    public void GeneratePrependsModelMessagesAndImageTags()
    {
        var template = OllamaTemplate.Parse(ChatMl);
        var input = new GenerateInput
        {
            Prompt = "describe",
            ModelMessages = [ChatMessage.User("example"), ChatMessage.Assistant("answer")],
            ImageCount = 2,
        };
        Assert.Equal(
            "<|im_start|>user\nexample<|im_end|>\n<|im_start|>assistant\nanswer<|im_end|>\n<|im_start|>user\n[img-0]\n\n[img-1]\n\ndescribe<|im_end|>\n<|im_start|>assistant\n",
            PromptRenderer.RenderGenerate(template, input));
        // A deprecated context replaces the model's message history.
        Assert.DoesNotContain("example", PromptRenderer.RenderGenerate(template, new GenerateInput { Prompt = "p", ModelMessages = input.ModelMessages, HasContext = true }));
    }

    [Fact]
    public void GenerateWithSuffixRendersPromptAndSuffix()
    {
        var template = OllamaTemplate.Parse("{{ if .Suffix }}<PRE> {{ .Prompt }} <SUF>{{ .Suffix }} <MID>{{ else }}{{ .Prompt }}{{ end }}");
        Assert.Equal("<PRE> def f( <SUF>return x <MID>", PromptRenderer.RenderGenerate(template, new GenerateInput { Prompt = "def f(", Suffix = "return x" }));
    }

    [Fact]
    public void ChatImagesBecomeNumberedTags()
    {
        var image = new byte[] { 1, 2, 3 };
        var messages = new List<ChatMessage>
        {
            new() { Role = "user", Content = "first", Images = [image] },
            new() { Role = "user", Content = "compare [img] with this", Images = [image, image] },
        };
        var result = PromptRenderer.BuildChatPrompt(OllamaTemplate.Parse(ChatMl), messages, null, null);
        Assert.Equal("<|im_start|>user\n[img-0]first\n\n[img-2]compare [img-1] with this<|im_end|>\n<|im_start|>assistant\n", result.Prompt);
        Assert.Equal(3, result.Images.Count);
    }

    [Fact]
    public void TruncationDropsOldMessagesButKeepsSystemAndToolBlocks()
    {
        var template = OllamaTemplate.Parse("{{ range .Messages }}{{ .Role }}:{{ .Content }};{{ end }}");
        var messages = new List<ChatMessage>
        {
            ChatMessage.System("sys"),
            ChatMessage.User("old question"),
            ChatMessage.Assistant("old answer"),
            new() { Role = "assistant", ToolCalls = [new ToolCall { Function = new ToolCallFunction { Name = "f" } }] },
            new() { Role = "tool", Content = "r1" },
            new() { Role = "tool", Content = "r2" },
            ChatMessage.User("now"),
        };
        // Count characters as "tokens": only the suffix starting at the tool-calling assistant turn fits.
        var result = PromptRenderer.BuildChatPrompt(template, messages, null, null, p => p.Length, contextLength: 48);
        Assert.Equal(3, result.FirstMessageKept);
        Assert.Equal("system:sys;assistant:;tool:r1;tool:r2;user:now;", result.Prompt);
        Assert.Equal(3, PromptRenderer.ToolBlockStart(messages, 5));
        // When nothing fits, the last message is kept anyway.
        Assert.Equal("system:sys;user:now;", PromptRenderer.BuildChatPrompt(template, messages, null, null, p => p.Length, contextLength: 1).Prompt);
    }

    [Fact]
    public void TruncationMeasuresOnlyTheStartsThatCanChangeTheAnswer()
    {
        var template = OllamaTemplate.Parse("{{ range .Messages }}{{ .Role }}:{{ .Content }};{{ end }}");
        var messages = new List<ChatMessage>
        {
            ChatMessage.System("sys"),
            ChatMessage.User("old question"),
            ChatMessage.System("late sys"),
            new() { Role = "assistant", ToolCalls = [new ToolCall { Function = new ToolCallFunction { Name = "f" } }] },
            new() { Role = "tool", Content = "r1" },
            new() { Role = "tool", Content = "r2" },
            ChatMessage.User("now"),
        };

        // Starting at 1 keeps what starting at 0 does (a system message is kept anyway), so does 3 what 2 does;
        // the tool results start at their assistant turn.
        Assert.Equal([0, 2, 6], PromptRenderer.TruncationStarts(messages));

        // Nothing fits: the whole and the middle start are measured, the last start is taken unmeasured.
        var measured = new List<string>();
        var result = PromptRenderer.BuildChatPrompt(template, messages, null, null, p => { measured.Add(p); return p.Length; }, contextLength: 1);
        Assert.Equal(2, measured.Count);
        Assert.Equal("system:sys\n\nlate sys;assistant:;tool:r1;tool:r2;user:now;", measured[1]); // consecutive system messages are joined, as in Ollama
        Assert.Equal(6, result.FirstMessageKept);
        Assert.Equal("system:sys\n\nlate sys;user:now;", result.Prompt);
    }

    [Fact]
    public void ToolsPrintAsJsonAndPropertiesRangeSorted()
    {
        var template = OllamaTemplate.Parse(
            "{{ .Tools }}|{{ range .Tools }}{{ range $name, $p := .Function.Parameters.Properties }}{{ $name }}:{{ $p.Type }}:{{ toTypeScriptType $p }} {{ end }}{{ end }}{{ range .Messages }}{{ end }}");
        var prompt = template.Render(new PromptValues { Messages = [ChatMessage.User("x")], Tools = [RealTemplateTests.WeatherTool()] });
        Assert.Equal(
            "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"description\":\"Get the \\u003ccurrent\\u003e weather\",\"parameters\":{\"type\":\"object\",\"required\":[\"location\"],\"properties\":{\"location\":{\"type\":\"string\",\"description\":\"City \\u0026 country\"},\"unit\":{\"type\":\"string\",\"enum\":[\"celsius\",\"fahrenheit\"]}}}}}]" +
            "|location:string:string unit:string:string ",
            prompt);
    }

    [Fact]
    public void ToolCallArgumentsPrintAsSortedJson()
    {
        var arguments = new ToolCallArguments { ["b"] = 2.0, ["a"] = "x<y" };
        Assert.Equal(["b", "a"], arguments.Keys);
        Assert.Equal("{\"a\":\"x\\u003cy\",\"b\":2}", TemplateValue.FromMap(arguments).ToString());
    }

    [Fact]
    public void ThinkValuesReachTheTemplate()
    {
        var template = OllamaTemplate.Parse("{{ .Think }}/{{ .ThinkLevel }}/{{ .IsThinkSet }}{{ range .Messages }}{{ end }}");
        string Render(ThinkValue? think) => template.Render(new PromptValues { Messages = [ChatMessage.User("x")], Think = think });
        Assert.Equal("false//false", Render(null));
        Assert.Equal("true/medium/true", Render(ThinkValue.FromBool(true)));
        Assert.Equal("true/high/true", Render(ThinkValue.FromLevel("high")));
        Assert.Equal("false//true", Render(ThinkValue.FromBool(false)));
    }

    [Fact]
    public void CurrentDateUsesTheClock()
    {
        var saved = OllamaTemplateFunctions.Now;
        try
        {
            OllamaTemplateFunctions.Now = () => new DateTime(2025, 3, 1, 10, 0, 0);
            Assert.Equal("2025-03-01 2025-02-28", OllamaTemplate.Parse("{{ currentDate }} {{ yesterdayDate }}{{ .Response }}").Render(new PromptValues()));
        }
        finally
        {
            OllamaTemplateFunctions.Now = saved;
        }
    }

    [Fact]
    public void UnknownFieldOnAMessageIsAnExecutionError()
    {
        var template = OllamaTemplate.Parse("{{ range .Messages }}{{ .Nope }}{{ end }}");
        var e = Assert.Throws<TemplateExecutionException>(() => template.Render(new PromptValues { Messages = [ChatMessage.User("x")] }));
        Assert.Equal("can't evaluate field Nope in type *template.templateMessage", e.Detail);
    }
}
