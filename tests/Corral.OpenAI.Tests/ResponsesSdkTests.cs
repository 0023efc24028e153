using System.ClientModel;
using System.Text;
using System.Text.Json;
using Corral.TestModels;
using OpenAI.Responses;

#pragma warning disable OPENAI001 // the Responses client is marked experimental in this SDK version

namespace Corral.OpenAI.Tests;

/// <summary>The official OpenAI .NET SDK's ResponsesClient against Corral's /v1/responses (stored state: see StoredResponsesSdkTests).</summary>
public sealed class ResponsesSdkTests(OpenAIServerFixture fx) : IClassFixture<OpenAIServerFixture>
{
    private static readonly string[] Colours = ["red", "green"];

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz";

    private ResponsesClient Client() => new(fx.Key, new ResponsesClientOptions { Endpoint = fx.Options.Endpoint, NetworkTimeout = TimeSpan.FromMinutes(5) });

    [Fact]
    public async Task Create_response_reads_back_text_usage_and_settings()
    {
        var options = new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")])
        {
            Temperature = 0,
            Instructions = "be brief",
        };
        options.Metadata["case"] = "sdk";
        ResponseResult response = await Client().CreateResponseAsync(options);
        Assert.Equal(Alphabet, response.GetOutputText());
        Assert.Equal("be brief", Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.Instructions)).Content[0].Text);
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.StartsWith("resp_", response.Id);
        Assert.Equal("successor-chat", response.Model);
        Assert.Equal(26, response.Usage.OutputTokenCount);
        Assert.Equal(response.Usage.InputTokenCount + 26, response.Usage.TotalTokenCount);
        Assert.Equal("sdk", response.Metadata["case"]);
        var message = Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(MessageRole.Assistant, message.Role);
    }

    [Fact]
    public async Task Max_output_tokens_gives_an_incomplete_response()
    {
        var options = new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 4 };
        ResponseResult response = await Client().CreateResponseAsync(options);
        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal("abcd", response.GetOutputText());
    }

    [Fact]
    public async Task Streaming_updates_add_up_to_the_answer()
    {
        var options = new CreateResponseOptions("successor-chat", [ResponseItem.CreateUserMessageItem("hi")]) { Temperature = 0, MaxOutputTokenCount = 8, StreamingEnabled = true };
        var text = new StringBuilder();
        var sequence = new List<int>();
        ResponseResult? final = null;
        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            sequence.Add(update.SequenceNumber);
            switch (update)
            {
                case StreamingResponseOutputTextDeltaUpdate delta:
                    text.Append(delta.Delta);
                    break;
                case StreamingResponseIncompleteUpdate incomplete:
                    final = incomplete.Response;
                    break;
            }
        }

        Assert.Equal("abcdefgh", text.ToString());
        Assert.Equal(Enumerable.Range(0, sequence.Count), sequence);
        Assert.NotNull(final);
        Assert.Equal("abcdefgh", final.GetOutputText());
        Assert.Equal(8, final.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Json_schema_text_format_yields_matching_json()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"colour":{"type":"string","enum":["red","green"]}},"required":["colour"],"additionalProperties":false}""");
        var options = new CreateResponseOptions("random", [ResponseItem.CreateUserMessageItem("go")])
        {
            MaxOutputTokenCount = 100,
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("thing", schema, jsonSchemaIsStrict: true) },
        };
        ResponseResult response = await Client().CreateResponseAsync(options);
        using var doc = JsonDocument.Parse(response.GetOutputText());
        Assert.Contains(doc.RootElement.GetProperty("colour").GetString(), Colours);
    }

    [Fact]
    public async Task Function_call_round_trip()
    {
        var tool = ResponseTool.CreateFunctionTool(
            ToolCallerModel.ToolName,
            BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}"""),
            strictModeEnabled: true,
            functionDescription: "weather of a city");
        var question = ResponseItem.CreateUserMessageItem("weather in Paris?");
        var first = new CreateResponseOptions("tool-caller", [question]) { Temperature = 0 };
        first.Tools.Add(tool);
        ResponseResult response = await Client().CreateResponseAsync(first);
        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal(ToolCallerModel.ToolName, call.FunctionName);
        Assert.Equal(ToolCallerModel.ArgumentsJson, call.FunctionArguments.ToString());

        var second = new CreateResponseOptions("tool-caller", [question, call, ResponseItem.CreateFunctionCallOutputItem(call.CallId, "sunny")]) { Temperature = 0 };
        second.Tools.Add(tool);
        ResponseResult answer = await Client().CreateResponseAsync(second);
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, answer.GetOutputText());

        var streamed = new CreateResponseOptions("tool-caller", [question]) { Temperature = 0, StreamingEnabled = true };
        streamed.Tools.Add(tool);
        var arguments = new StringBuilder();
        await foreach (var update in await Client().CreateResponseStreamingAsync(streamed))
        {
            if (update is StreamingResponseFunctionCallArgumentsDeltaUpdate delta)
            {
                arguments.Append(delta.Delta.ToString());
            }
        }

        Assert.Equal(ToolCallerModel.ArgumentsJson, arguments.ToString());
    }

    [Fact]
    public async Task Unknown_model_and_previous_response_id_are_client_errors()
    {
        var missing = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync("nope", "hi"));
        Assert.Equal(404, missing.Status);

        var stateful = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync("successor-chat", "hi", previousResponseId: "resp_1"));
        Assert.Equal(400, stateful.Status);
        Assert.Contains("Previous response with id 'resp_1' not found.", stateful.Message);
    }
}
