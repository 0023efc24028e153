using System.Text.Json;
using Corral.Api.OpenAI;

namespace Corral.Api.Tests.OpenAI;

public sealed class OpenAIWireTests
{
    private static readonly OpenAIJsonContext Ctx = OpenAIJsonContext.Default;

    [Fact]
    public void Chat_request_with_string_and_part_content_tools_and_stop_forms()
    {
        var request = JsonSerializer.Deserialize("""
            {"model":"llama3.2","stream":true,"stream_options":{"include_usage":true},"stop":"\n","max_completion_tokens":64,
             "messages":[{"role":"system","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"What is "},{"type":"text","text":"this?"},
                           {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}],
             "tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],
             "tool_choice":"auto","response_format":{"type":"json_schema","json_schema":{"name":"x","schema":{"type":"object"}}},
             "reasoning_effort":"low","logit_bias":{"50256":-100}}
            """, Ctx.ChatCompletionRequest)!;
        Assert.Equal("Be brief.", request.Messages[0].Content!.Text);
        Assert.Equal("What is this?", request.Messages[1].Content!.JoinedText());
        Assert.Equal("data:image/png;base64,iVBORw0KGgo=", request.Messages[1].Content!.Parts![2].ImageUrl!.Url);
        Assert.Equal(["\n"], request.Stop!.Values);
        Assert.True(request.StreamOptions!.IncludeUsage);
        Assert.Equal("json_schema", request.ResponseFormat!.Type);
        Assert.Equal(-100f, request.LogitBias!["50256"]);
        Assert.Equal("auto", request.ToolChoice!.Value.GetString());
    }

    [Fact]
    public void Chunk_writes_null_finish_reason_and_tool_call_arguments_as_text()
    {
        var chunk = new ChatCompletionChunk
        {
            Id = "chatcmpl-1",
            Created = 1700000000,
            Model = "m",
            Choices =
            [
                new ChatChoice
                {
                    Delta = new ChatMessage
                    {
                        Role = "assistant",
                        Content = "",
                        ToolCalls = [new OpenAIToolCall { Index = 0, Id = "call_1", Function = new OpenAIFunctionCall { Name = "f", Arguments = "{\"a\":1}" } }],
                    },
                },
            ],
        };
        Assert.Equal(
            """{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1700000000,"model":"m","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},"finish_reason":null}]}""",
            JsonSerializer.Serialize(chunk, OpenAIJsonContext.Wire.ChatCompletionChunk));
    }

    [Fact]
    public void Embeddings_float_or_base64()
    {
        var response = new EmbeddingsResponse { Model = "m", Data = [new EmbeddingData { Embedding = [0.5f, -1f] }, new EmbeddingData { Index = 1, EmbeddingBase64 = "AAAAPw==" }] };
        var json = JsonSerializer.Serialize(response, Ctx.EmbeddingsResponse);
        Assert.Equal("""{"object":"list","data":[{"object":"embedding","embedding":[0.5,-1],"index":0},{"object":"embedding","embedding":"AAAAPw==","index":1}],"model":"m"}""", json);
        var back = JsonSerializer.Deserialize(json, Ctx.EmbeddingsResponse)!;
        Assert.Equal([0.5f, -1f], back.Data[0].Embedding!);
        Assert.Equal("AAAAPw==", back.Data[1].EmbeddingBase64);

        var request = JsonSerializer.Deserialize("""{"model":"m","input":[[1,2],[3]],"encoding_format":"base64","dimensions":4}""", Ctx.EmbeddingsRequest)!;
        Assert.Equal(JsonValueKind.Array, request.Input.ValueKind);
        Assert.Equal(4, request.Dimensions);
    }

    [Fact]
    public void Error_and_models_shapes()
    {
        Assert.Equal("""{"error":{"message":"model \"x\" not found","type":"not_found_error","param":null,"code":null}}""",
            JsonSerializer.Serialize(new OpenAIErrorResponse("model \"x\" not found", "not_found_error"), OpenAIJsonContext.Wire.OpenAIErrorResponse));
        Assert.Equal("""{"object":"list","data":[{"id":"llama3.2:latest","object":"model","created":1,"owned_by":"library"}]}""",
            JsonSerializer.Serialize(new ModelList { Data = [new ModelObject { Id = "llama3.2:latest", Created = 1 }] }, Ctx.ModelList));
    }
}
