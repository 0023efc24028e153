using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Corral.TestModels;

namespace Corral.Anthropic.Tests;

/// <summary>The official Anthropic .NET SDK (client.Messages) against Corral's /v1/messages.</summary>
public sealed class MessagesSdkTests(AnthropicServerFixture fx) : IClassFixture<AnthropicServerFixture>
{
    private static MessageCreateParams Ask(string model, long maxTokens, params string[] stopSequences) => new()
    {
        Model = model,
        MaxTokens = maxTokens,
        Messages = [new UserMessageParam("hi")],
        StopSequences = stopSequences.Length > 0 ? stopSequences : null,
    };

    [Fact]
    public async Task Create_returns_the_text_usage_and_end_turn()
    {
        Message message = await fx.Client.Messages.Create(Ask("successor-chat", 100));
        message.Validate();
        Assert.StartsWith("msg_", message.ID);
        Assert.Equal("successor-chat", message.Model.Raw());
        Assert.True(Assert.Single(message.Content).TryPickText(out var text));
        Assert.Equal(SuccessorModel.Alphabet, text!.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Null(message.StopSequence);
        Assert.Equal(26, message.Usage.OutputTokens);
        Assert.True(message.Usage.InputTokens > 0);
    }

    [Fact]
    public async Task Max_tokens_and_stop_sequences_give_their_stop_reasons()
    {
        Message limited = await fx.Client.Messages.Create(Ask("successor-chat", 4));
        Assert.True(limited.Content[0].TryPickText(out var limitedText));
        Assert.Equal("abcd", limitedText!.Text);
        Assert.Equal(StopReason.MaxTokens, limited.StopReason!.Value());

        Message stopped = await fx.Client.Messages.Create(Ask("successor-chat", 100, "xyz", "fgh"));
        Assert.True(stopped.Content[0].TryPickText(out var stoppedText));
        Assert.Equal("abcde", stoppedText!.Text);
        Assert.Equal(StopReason.StopSequence, stopped.StopReason!.Value());
        Assert.Equal("fgh", stopped.StopSequence);
    }

    [Fact]
    public async Task Streaming_events_arrive_in_order_and_the_deltas_add_up()
    {
        var names = new List<string>();
        var text = new StringBuilder();
        Delta? final = null;
        long? outputTokens = null;
        long startInputTokens = 0;
        long finalPromptTokens = 0;
        await foreach (var e in fx.Client.Messages.CreateStreaming(Ask("successor-chat", 100, "fgh")))
        {
            switch (e.Value)
            {
                case RawMessageStartEvent start:
                    names.Add("message_start");
                    Assert.StartsWith("msg_", start.Message.ID);
                    startInputTokens = start.Message.Usage.InputTokens;
                    break;
                case RawContentBlockStartEvent block:
                    names.Add("content_block_start");
                    Assert.Equal(0, block.Index);
                    Assert.True(block.ContentBlock.TryPickText(out _));
                    break;
                case RawContentBlockDeltaEvent delta:
                    names.Add("content_block_delta");
                    Assert.True(delta.Delta.Value is TextDelta);
                    text.Append(((TextDelta)delta.Delta.Value).Text);
                    break;
                case RawContentBlockStopEvent:
                    names.Add("content_block_stop");
                    break;
                case RawMessageDeltaEvent messageDelta:
                    names.Add("message_delta");
                    final = messageDelta.Delta;
                    outputTokens = messageDelta.Usage.OutputTokens;
                    finalPromptTokens = (messageDelta.Usage.InputTokens ?? 0) + (messageDelta.Usage.CacheReadInputTokens ?? 0);
                    break;
                case RawMessageStopEvent:
                    names.Add("message_stop");
                    break;
            }
        }

        Assert.Equal("abcde", text.ToString());
        Assert.Equal("message_start", names[0]);
        Assert.Equal("content_block_start", names[1]);
        Assert.All(names.Skip(2).Take(names.Count - 5), n => Assert.Equal("content_block_delta", n));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names.TakeLast(3));
        Assert.Equal(StopReason.StopSequence, final!.StopReason!.Value());
        Assert.Equal("fgh", final.StopSequence);
        Assert.Equal(8, outputTokens); // "abcde" and the three tokens of "fgh" were generated

        // message_start already names the prompt's size (the runner measured it before prefill), and the final usage
        // splits the same count into uncached and cached parts.
        Assert.True(startInputTokens > 0);
        Assert.Equal(startInputTokens, finalPromptTokens);
    }

    [Fact]
    public async Task Count_tokens_counts_the_prompt_create_runs()
    {
        var count = await fx.Client.Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "successor-chat",
            Messages = [new UserMessageParam("hello there")],
            System = "one two three",
        });
        Message message = await fx.Client.Messages.Create(new MessageCreateParams
        {
            Model = "successor-chat",
            MaxTokens = 2,
            Messages = [new UserMessageParam("hello there")],
            System = "one two three",
        });
        Assert.Equal(message.Usage.InputTokens + (message.Usage.CacheReadInputTokens ?? 0), count.InputTokens);
    }

    [Fact]
    public async Task Tool_use_comes_back_as_a_tool_use_block()
    {
        var parameters = new MessageCreateParams
        {
            Model = "tool-caller",
            MaxTokens = 100,
            Messages = [new UserMessageParam("weather in Paris?")],
            Tools = [WeatherTool()],
        };
        Message message = await fx.Client.Messages.Create(parameters);
        Assert.Equal(StopReason.ToolUse, message.StopReason!.Value());
        Assert.True(Assert.Single(message.Content).TryPickToolUse(out var toolUse));
        Assert.StartsWith("toolu_", toolUse!.ID);
        Assert.Equal(ToolCallerModel.ToolName, toolUse.Name);
        Assert.Equal(ToolCallerModel.ArgumentValue, toolUse.Input[ToolCallerModel.ArgumentName].GetString());

        // The second turn sends the result back; the model answers with text.
        Message answer = await fx.Client.Messages.Create(new MessageCreateParams
        {
            Model = "tool-caller",
            MaxTokens = 100,
            Tools = [WeatherTool()],
            Messages =
            [
                new UserMessageParam("weather in Paris?"),
                new AssistantMessageParam(new List<ContentBlockParam>
                {
                    new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input },
                }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam(toolUse.ID) { Content = "sunny, 24 C" } }),
            ],
        });
        Assert.Equal(StopReason.EndTurn, answer.StopReason!.Value());
        Assert.True(Assert.Single(answer.Content).TryPickText(out var text));
        Assert.Equal(ToolCallerModel.AnswerAfterToolResult, text!.Text);
    }

    [Fact]
    public async Task Streamed_tool_use_sends_the_input_as_json_delta()
    {
        var parameters = new MessageCreateParams
        {
            Model = "tool-caller",
            MaxTokens = 100,
            Messages = [new UserMessageParam("weather in Paris?")],
            Tools = [WeatherTool()],
        };
        ToolUseBlock? started = null;
        var json = new StringBuilder();
        Delta? final = null;
        await foreach (var e in fx.Client.Messages.CreateStreaming(parameters))
        {
            switch (e.Value)
            {
                case RawContentBlockStartEvent block when block.ContentBlock.TryPickToolUse(out var toolUse):
                    started = toolUse;
                    break;
                case RawContentBlockDeltaEvent { Delta.Value: InputJsonDelta input }:
                    json.Append(input.PartialJson);
                    break;
                case RawMessageDeltaEvent delta:
                    final = delta.Delta;
                    break;
            }
        }

        Assert.NotNull(started);
        Assert.Equal(ToolCallerModel.ToolName, started.Name);
        using var arguments = JsonDocument.Parse(json.ToString());
        Assert.Equal(ToolCallerModel.ArgumentValue, arguments.RootElement.GetProperty(ToolCallerModel.ArgumentName).GetString());
        Assert.Equal(StopReason.ToolUse, final!.StopReason!.Value());
    }

    [Fact]
    public async Task Unknown_model_throws_the_sdks_not_found_exception()
    {
        var error = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => fx.Client.Messages.Create(Ask("no-such-model", 10)));
        Assert.Contains("no-such-model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_request_throws_the_sdks_bad_request_exception()
    {
        await Assert.ThrowsAsync<AnthropicBadRequestException>(() => fx.Client.Messages.Create(Ask("successor-chat", 0)));
    }

    private static Tool WeatherTool() => new()
    {
        Name = ToolCallerModel.ToolName,
        Description = "weather of a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { [ToolCallerModel.ArgumentName] = JsonDocument.Parse("""{"type":"string"}""").RootElement },
            Required = [ToolCallerModel.ArgumentName],
        },
    };
}
