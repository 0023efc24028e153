using Corral.Templates.Parsing;

namespace Corral.Templates.Tests.Parsing;

public sealed class StreamingOutputParserTests
{
    private static readonly OutputParserOptions Qwen3 = new()
    {
        ParseThinking = true,
        ToolCallOpenTag = "<tool_call>",
        ToolCallCloseTag = "</tool_call>",
        ToolNames = new HashSet<string> { "get_weather", "get_time" },
    };

    private static readonly OutputParserOptions Llama = new() { ToolCallOpenTag = "<|python_tag|>", BareJsonToolCalls = true };

    private static readonly OutputParserOptions Mistral = new() { ToolCallOpenTag = "[TOOL_CALLS]" };

    /// <summary>Merged result of one parse: content, thinking and "index:name:args" per call.</summary>
    private sealed record Result(string Content, string Thinking, string Calls);

    private static Result Run(OutputParserOptions options, IEnumerable<string> pieces)
    {
        var parser = new StreamingOutputParser(options);
        var events = new List<OutputEvent>();
        foreach (var piece in pieces)
        {
            parser.Push(piece, events);
        }

        parser.Finish(events);
        return new Result(
            string.Concat(events.Where(e => e.Kind == OutputEventKind.Content).Select(e => e.Text)),
            string.Concat(events.Where(e => e.Kind == OutputEventKind.Thinking).Select(e => e.Text)),
            string.Join(" ", events.Where(e => e.Kind == OutputEventKind.ToolCall).Select(e => $"{e.ToolCall!.Index}:{e.ToolCall.Name}:{e.ToolCall.ArgumentsJson}")));
    }

    /// <summary>The whole text at once, one char at a time, and every split into two and three pieces agree.</summary>
    private static Result RunAllSplits(OutputParserOptions options, string text)
    {
        var whole = Run(options, [text]);
        Assert.Equal(whole, Run(options, text.Select(c => c.ToString())));
        for (var i = 1; i < text.Length; i++)
        {
            Assert.Equal(whole, Run(options, [text[..i], text[i..]]));
        }

        for (var i = 1; i < text.Length; i += 3)
        {
            for (var j = i + 1; j < text.Length; j += 2)
            {
                Assert.Equal(whole, Run(options, [text[..i], text[i..j], text[j..]]));
            }
        }

        return whole;
    }

    [Fact]
    public void SplitsThinkingFromContent()
    {
        var r = RunAllSplits(Qwen3, "<think>\nI should greet.\n</think>\n\nHello there!");
        Assert.Equal(new Result("Hello there!", "I should greet.\n", ""), r);
    }

    [Fact]
    public void OutputThatStartsInsideThinking()
    {
        var options = new OutputParserOptions { ParseThinking = true, StartInThinking = true };
        Assert.Equal(new Result("Answer <b>", "Step 1 < 2", ""), RunAllSplits(options, "Step 1 < 2</think>Answer <b>"));
    }

    [Fact]
    public void ThinkingOffPassesTagsThrough()
    {
        Assert.Equal(new Result("<think>x</think>y", "", ""), RunAllSplits(OutputParserOptions.PassThrough, "<think>x</think>y"));
    }

    [Fact]
    public void NoThinkingTagMeansAllContent()
    {
        Assert.Equal(new Result("<thin but not a tag", "", ""), RunAllSplits(Qwen3 with { ToolCallOpenTag = null }, "<thin but not a tag"));
    }

    [Fact]
    public void HermesToolCallsWithContentAround()
    {
        const string text = "Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris {center} é\", \"q\": \"say \\\"}\\\"\", \"n\": {\"x\": [1, {}]}}}\n</tool_call>\n<tool_call>\n{\"name\": \"get_time\", \"arguments\": {}}\n</tool_call>\nDone.";
        var r = RunAllSplits(Qwen3, text);
        Assert.Equal("Let me check.\nDone.", r.Content);
        Assert.Equal(
            "0:get_weather:{\"city\":\"Paris {center} é\",\"q\":\"say \\\"}\\\"\",\"n\":{\"x\":[1,{}]}} 1:get_time:{}",
            r.Calls);
    }

    [Fact]
    public void ThinkingThenToolCall()
    {
        var r = RunAllSplits(Qwen3, "<think>need weather</think>\n<tool_call>{\"name\":\"get_weather\",\"arguments\":{\"b\":1,\"a\":2}}</tool_call>");
        Assert.Equal(new Result("", "need weather", "0:get_weather:{\"b\":1,\"a\":2}"), r);
    }

    [Fact]
    public void MalformedToolCallFallsBackToContent()
    {
        var r = RunAllSplits(Qwen3, "Hi <tool_call>{\"name\": \"get_weather\", \"arguments\": {oops}}</tool_call> bye");
        Assert.Equal(new Result("Hi <tool_call>{\"name\": \"get_weather\", \"arguments\": {oops}}</tool_call> bye", "", ""), r);
    }

    [Fact]
    public void UnknownToolNameFallsBackToContent()
    {
        var r = RunAllSplits(Qwen3, "<tool_call>{\"name\": \"rm_rf\", \"arguments\": {}}</tool_call>");
        Assert.Equal("", r.Calls);
        Assert.Equal("<tool_call>{\"name\": \"rm_rf\", \"arguments\": {}}</tool_call>", r.Content);
    }

    [Fact]
    public void UnfinishedToolCallAtEndIsContent()
    {
        var r = RunAllSplits(Qwen3, "<tool_call>{\"name\": \"get_weather\", \"argu");
        Assert.Equal(new Result("<tool_call>{\"name\": \"get_weather\", \"argu", "", ""), r);
    }

    [Fact]
    public void LlamaBareJsonAndPythonTag()
    {
        Assert.Equal(
            new Result("", "", "0:get_weather:{\"city\":\"Oslo\"} 1:get_time:{}"),
            RunAllSplits(Llama, "  {\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}; {\"name\": \"get_time\", \"parameters\": {}}"));
        Assert.Equal(
            new Result("", "", "0:get_weather:{\"city\":\"Oslo\"}"),
            RunAllSplits(Llama, "<|python_tag|>{\"name\": \"get_weather\", \"parameters\": {\"city\": \"Oslo\"}}"));
        // JSON after prose is not a call for bare-JSON models: only the start of a response can be.
        Assert.Equal(
            new Result("Sure: {\"name\": \"x\"}", "", ""),
            RunAllSplits(Llama, "Sure: {\"name\": \"x\"}"));
    }

    [Fact]
    public void MistralListOfCalls()
    {
        var r = RunAllSplits(Mistral, "[TOOL_CALLS][{\"name\": \"a\", \"arguments\": {\"x\": 1}}, {\"name\": \"b\", \"arguments\": \"{\\\"y\\\": 2}\"}]");
        Assert.Equal(new Result("", "", "0:a:{\"x\":1} 1:b:{\"y\":2}"), r);
    }

    [Fact]
    public void ContentIsReleasedAsSoonAsItCannotBeAMarker()
    {
        var parser = new StreamingOutputParser(Qwen3);
        var events = new List<OutputEvent>();
        parser.Push("Hello <tool", events);
        Assert.Equal([OutputEvent.Content("Hello ")], events);
        events.Clear();
        parser.Push("s are fun", events);
        Assert.Equal([OutputEvent.Content("<tools are fun")], events);
        events.Clear();
        parser.Push("<think>", events);
        Assert.Equal([OutputEvent.Content("<think>")], events);
    }

    [Fact]
    public void ThinkingDeltasStreamBeforeTheCloseTag()
    {
        var parser = new StreamingOutputParser(Qwen3);
        var events = new List<OutputEvent>();
        parser.Push("<think>abc</thi", events);
        Assert.Equal([OutputEvent.Thinking("abc")], events);
        events.Clear();
        parser.Push("nk>def", events);
        Assert.Equal([OutputEvent.Content("def")], events);
    }

    [Fact]
    public void PromptOpensThinking()
    {
        Assert.True(OutputParserOptions.PromptOpensThinking("<|im_start|>assistant\n<think>\n"));
        Assert.False(OutputParserOptions.PromptOpensThinking("<|im_start|>assistant\n<think>\n\n</think>\n\n"));
        Assert.False(OutputParserOptions.PromptOpensThinking("<|im_start|>assistant\n"));
    }

    [Fact]
    public void SyntaxIsInferredFromTemplates()
    {
        var qwenGo = ToolCallSyntax.FromGoTemplate("{{- else if .ToolCalls }}<tool_call>\n{{ range .ToolCalls }}{\"name\": \"{{ .Function.Name }}\"}\n{{ end }}</tool_call>", OutputParserOptions.PassThrough);
        Assert.Equal(("<tool_call>", "</tool_call>", false), (qwenGo.ToolCallOpenTag, qwenGo.ToolCallCloseTag, qwenGo.BareJsonToolCalls));
        var mistralGo = ToolCallSyntax.FromGoTemplate("{{- if .ToolCalls }}[TOOL_CALLS] [{{ range .ToolCalls }}{...}{{ end }}]", OutputParserOptions.PassThrough);
        Assert.Equal("[TOOL_CALLS]", mistralGo.ToolCallOpenTag);
        var bareGo = ToolCallSyntax.FromGoTemplate("{{- if .ToolCalls }}\n{{ range .ToolCalls }}{\"name\": 1}{{ end }}", OutputParserOptions.PassThrough);
        Assert.True(bareGo.BareJsonToolCalls);
        Assert.Null(bareGo.ToolCallOpenTag);
        var llamaJinja = ToolCallSyntax.FromJinjaTemplate(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Jinja", "Templates", "meta-llama-Llama-3.1-8B-Instruct.jinja")), OutputParserOptions.PassThrough);
        Assert.Equal(("<|python_tag|>", true), (llamaJinja.ToolCallOpenTag, llamaJinja.BareJsonToolCalls));
        Assert.False(ToolCallSyntax.FromGoTemplate("{{ .Prompt }}", OutputParserOptions.PassThrough).ParsesToolCalls);
    }
}
