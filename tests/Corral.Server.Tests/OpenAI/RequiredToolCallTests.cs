using System.Net;
using System.Text;
using System.Text.Json;
using Corral.Testing;
using Corral.TestModels;

namespace Corral.Server.Tests.OpenAI;

/// <summary>
/// A required tool call is enforced, not just offered: the successor model (which left alone answers the
/// alphabet) is held to a call of an offered tool, with arguments valid against the tool's schema, on
/// every API surface that can demand one.
/// </summary>
public sealed class RequiredToolCallTests(RequiredToolCallTests.Fixture fx) : IClassFixture<RequiredToolCallTests.Fixture>
{
    private static readonly string[] Cities = ["Paris", "Rome"];

    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"weather of a city","parameters":{"type":"object","properties":{"city":{"enum":["Paris","Rome"]}},"required":["city"],"additionalProperties":false}}}""";
    private const string Now = """{"type":"function","function":{"name":"now","parameters":{"type":"object","properties":{},"additionalProperties":false}}}""";
    private const string Ask = """[{"role":"user","content":"weather in Paris?"}]""";

    [Fact]
    public async Task Without_a_requirement_the_model_answers_in_text()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", $$"""{"model":"successor-tools","tools":[{{Weather}}],"tool_choice":"auto","max_tokens":40,"messages":{{Ask}}}""");
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(SuccessorModel.Alphabet, choice.GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Tool_choice_required_forces_a_valid_call()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", $$"""{"model":"successor-tools","tools":[{{Weather}}],"tool_choice":"required","parallel_tool_calls":false,"max_tokens":400,"messages":{{Ask}}}""");
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice.GetProperty("finish_reason").GetString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray()).GetProperty("function");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("arguments").GetString()!);
        Assert.Contains(arguments.RootElement.GetProperty("city").GetString(), Cities);
        Assert.Single(arguments.RootElement.EnumerateObject());
    }

    [Fact]
    public async Task A_named_function_forces_that_function()
    {
        using var doc = await PostOkAsync("/v1/chat/completions", $$$"""{"model":"successor-tools","tools":[{{{Weather}}},{{{Now}}}],"tool_choice":{"type":"function","function":{"name":"now"}},"parallel_tool_calls":false,"max_tokens":400,"messages":{{{Ask}}}}""");
        var call = Assert.Single(doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("now", call.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("{}", call.GetProperty("function").GetProperty("arguments").GetString());
    }

    [Fact]
    public async Task Anthropic_tool_choice_any_forces_a_tool_use_block()
    {
        using var doc = await PostOkAsync("/v1/messages", $$$"""
            {"model":"successor-tools","max_tokens":400,"tool_choice":{"type":"any","disable_parallel_tool_use":true},
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"enum":["Paris","Rome"]}},"required":["city"]}}],
             "messages":{{{Ask}}}}
            """);
        Assert.Equal("tool_use", doc.RootElement.GetProperty("stop_reason").GetString());
        var block = Assert.Single(doc.RootElement.GetProperty("content").EnumerateArray(), b => b.GetProperty("type").GetString() == "tool_use");
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        Assert.Contains(block.GetProperty("input").GetProperty("city").GetString(), Cities);
    }

    [Fact]
    public async Task Responses_tool_choice_required_forces_a_function_call_item()
    {
        using var doc = await PostOkAsync("/v1/responses", """
            {"model":"successor-tools","temperature":0,"max_output_tokens":400,"tool_choice":"required","parallel_tool_calls":false,
             "tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"enum":["Paris","Rome"]}},"required":["city"]}}],
             "input":"weather in Paris?"}
            """);
        var item = Assert.Single(doc.RootElement.GetProperty("output").EnumerateArray(), i => i.GetProperty("type").GetString() == "function_call");
        Assert.Equal("get_weather", item.GetProperty("name").GetString());
    }

    private async Task<JsonDocument> PostOkAsync(string path, string json)
    {
        using var response = await fx.Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    /// <summary>The successor weights with the tool-caller's template: tools are offered, but the model never calls on its own.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        public IServerUnderTest Server { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var models = Directory.CreateTempSubdirectory("corral-required-tools-").FullName;
            await StoreSeeder.SeedAsync(models, "successor-tools", GeneratedModels.Successor, template: ToolCallerModel.Template, paramsJson: "{\"temperature\":0}");
            Server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_NUM_PARALLEL"] = "1" }, models);
            Http = Server.CreateClient();
        }

        public async Task DisposeAsync()
        {
            Http.Dispose();
            await Server.DisposeAsync();
        }
    }
}
