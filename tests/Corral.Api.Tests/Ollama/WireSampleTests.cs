using System.Text.Json;
using Corral.Api.Ollama;

namespace Corral.Api.Tests.Ollama;

/// <summary>Request/response bodies as Ollama's API documentation shows them.</summary>
public sealed class WireSampleTests
{
    private static readonly OllamaJsonContext Ctx = OllamaJsonContext.Default;

    [Fact]
    public void Generate_request_with_schema_format_images_and_options()
    {
        var request = JsonSerializer.Deserialize("""
            {"model":"llama3.1:8b","prompt":"Ollama is 22 years old and is busy saving the world.","stream":false,
             "format":{"type":"object","properties":{"age":{"type":"integer"}},"required":["age"]},
             "images":["aGVsbG8="],"raw":true,"context":[1,2,3],"suffix":"    return result","think":"low",
             "truncate":false,"shift":true,"logprobs":true,"top_logprobs":3,"_debug_render_only":true,
             "options":{"temperature":0}}
            """, Ctx.GenerateRequest)!;
        Assert.Equal("llama3.1:8b", request.Model);
        Assert.False(request.IsStreaming);
        Assert.Equal(ResponseFormatKind.Schema, ResponseFormat.Classify(request.Format));
        Assert.Equal("hello"u8.ToArray(), request.Images![0]);
        Assert.True(request.Raw);
        Assert.Equal([1, 2, 3], request.Context);
        Assert.Equal("low", request.Think!.Value.Level);
        Assert.False(request.Truncate);
        Assert.True(request.Shift);
        Assert.Equal(3, request.TopLogprobs);
        Assert.True(request.DebugRenderOnly);
        Assert.Equal(0f, request.Options!.Temperature);
    }

    [Theory]
    [InlineData("""{"model":"m","format":"json"}""", ResponseFormatKind.Json)]
    [InlineData("""{"model":"m","format":""}""", ResponseFormatKind.None)]
    [InlineData("""{"model":"m","format":null}""", ResponseFormatKind.None)]
    [InlineData("""{"model":"m"}""", ResponseFormatKind.None)]
    public void Format_string_variants(string json, ResponseFormatKind kind) =>
        Assert.Equal(kind, ResponseFormat.Classify(JsonSerializer.Deserialize(json, Ctx.GenerateRequest)!.Format));

    [Fact]
    public void Format_other_strings_are_rejected() =>
        Assert.Throws<InvalidOptionException>(() => ResponseFormat.Classify(JsonSerializer.Deserialize("""{"model":"m","format":"yaml"}""", Ctx.GenerateRequest)!.Format));

    [Fact]
    public void Stream_defaults_to_true() =>
        Assert.True(JsonSerializer.Deserialize("""{"model":"m","prompt":"hi"}""", Ctx.GenerateRequest)!.IsStreaming);

    [Fact]
    public void Property_names_match_case_insensitively_like_go() =>
        Assert.Equal("m", JsonSerializer.Deserialize("""{"Model":"m"}""", Ctx.GenerateRequest)!.Model);

    [Fact]
    public void Chat_request_with_tools_and_tool_history_keeps_argument_order()
    {
        var request = JsonSerializer.Deserialize("""
            {"model":"llama3.2","messages":[
              {"role":"USER","content":"What is the weather today in Paris?"},
              {"role":"assistant","content":"","tool_calls":[{"function":{"name":"get_current_weather","arguments":{"location":"Paris, FR","format":"celsius","days":2}}}]},
              {"role":"tool","content":"22","tool_name":"get_current_weather"}],
             "stream":false,
             "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather for a location",
               "parameters":{"type":"object","properties":{"location":{"type":"string","description":"The location"},
               "format":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["location","format"]}}}]}
            """, Ctx.ChatRequest)!;
        Assert.Equal("user", request.Messages![0].Role);
        var call = request.Messages[1].ToolCalls![0].Function;
        Assert.Equal("get_current_weather", call.Name);
        Assert.Equal(["location", "format", "days"], call.Arguments.Select(p => p.Key));
        Assert.Equal("get_current_weather", request.Messages[2].ToolName);
        var tool = Assert.Single(request.Tools!);
        Assert.Equal("function", tool.Type);
        Assert.Equal(["location", "format"], tool.Function.Parameters!.Value.GetProperty("properties").EnumerateObject().Select(p => p.Name));

        var written = JsonSerializer.Serialize(request.Messages[1], Ctx.Message);
        Assert.Equal("""{"role":"assistant","content":"","tool_calls":[{"function":{"index":0,"name":"get_current_weather","arguments":{"location":"Paris, FR","format":"celsius","days":2}}}]}""", written);
    }

    [Fact]
    public void Embed_input_string_or_array()
    {
        var single = JsonSerializer.Deserialize("""{"model":"all-minilm","input":"Why is the sky blue?"}""", Ctx.EmbedRequest)!;
        Assert.False(single.Input!.IsArray);
        Assert.Equal(["Why is the sky blue?"], single.Input.Values);
        var many = JsonSerializer.Deserialize("""{"model":"all-minilm","input":["a","b"],"truncate":false,"dimensions":8,"keep_alive":"1m"}""", Ctx.EmbedRequest)!;
        Assert.Equal(["a", "b"], many.Input!.Values);
        Assert.Equal(8, many.Dimensions);
        Assert.False(many.Truncate);
        Assert.Contains("\"input\":[\"a\",\"b\"]", JsonSerializer.Serialize(many, Ctx.EmbedRequest));
        Assert.Contains("\"input\":\"Why is the sky blue?\"", JsonSerializer.Serialize(single, Ctx.EmbedRequest));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"model":"m","input":[1,2]}""", Ctx.EmbedRequest));
    }

    [Fact]
    public void Streaming_generate_chunk_omits_empty_fields_but_keeps_done_and_response()
    {
        var chunk = new GenerateResponse
        {
            Model = "llama3.2",
            CreatedAt = new DateTimeOffset(2023, 8, 4, 8, 52, 19, TimeSpan.Zero).AddTicks(3_854_980),
            Response = "The",
            Thinking = string.Empty,
            DoneReason = string.Empty,
            Context = [],
        };
        Assert.Equal("""{"model":"llama3.2","created_at":"2023-08-04T08:52:19.385498Z","response":"The","done":false}""",
            JsonSerializer.Serialize(chunk, Ctx.GenerateResponse));
    }

    [Fact]
    public void Final_generate_chunk_carries_metrics()
    {
        var final = JsonSerializer.Deserialize("""
            {"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"","done":true,"done_reason":"stop",
             "context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,"prompt_eval_count":26,
             "prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000}
            """, Ctx.GenerateResponse)!;
        Assert.True(final.Done);
        Assert.Equal("stop", final.DoneReason);
        Assert.Equal(10706818083L, final.TotalDuration);
        Assert.Equal(259, final.EvalCount);
        var again = JsonSerializer.Serialize(final, Ctx.GenerateResponse);
        Assert.Equal("""{"model":"llama3.2","created_at":"2023-08-04T19:22:45.499127Z","response":"","done":true,"done_reason":"stop","context":[1,2,3],"total_duration":10706818083,"load_duration":6338219291,"prompt_eval_count":26,"prompt_eval_duration":130079000,"eval_count":259,"eval_duration":4232710000}""", again);
    }

    [Fact]
    public void Metrics_sit_where_go_writes_its_embedded_struct()
    {
        // Generate: the metrics come after context and before tool_calls, _debug_info and logprobs; chat: last.
        var generate = new GenerateResponse
        {
            Model = "m", CreatedAt = DateTimeOffset.UnixEpoch, Done = true, Context = [1], TotalDuration = 5, EvalDuration = 6,
            ToolCalls = [new ToolCall { Function = new ToolCallFunction { Name = "f" } }],
            DebugInfo = new DebugInfo { RenderedTemplate = "t" },
            Logprobs = [new Logprob { Token = "a", Value = -1 }],
        };
        var chat = new ChatResponse
        {
            Model = "m", CreatedAt = DateTimeOffset.UnixEpoch, Done = true, DoneReason = "stop", TotalDuration = 5, EvalDuration = 6,
            DebugInfo = new DebugInfo { RenderedTemplate = "t" },
            Logprobs = [new Logprob { Token = "a", Value = -1 }],
        };

        Assert.Equal(["model", "created_at", "response", "done", "context", "total_duration", "eval_duration", "tool_calls", "_debug_info", "logprobs"], Keys(JsonSerializer.Serialize(generate, Ctx.GenerateResponse)));
        Assert.Equal(["model", "created_at", "message", "done", "done_reason", "_debug_info", "logprobs", "total_duration", "eval_duration"], Keys(JsonSerializer.Serialize(chat, Ctx.ChatResponse)));
    }

    private static string[] Keys(string json) =>
        [.. JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void Chat_chunk_message_always_has_role_and_content()
    {
        var chunk = new ChatResponse { Model = "m", Message = new Message { Role = "assistant", Content = "" }, Done = false };
        Assert.Equal("""{"model":"m","created_at":"0001-01-01T00:00:00Z","message":{"role":"assistant","content":""},"done":false}""",
            JsonSerializer.Serialize(chunk, Ctx.ChatResponse));
    }

    [Fact]
    public void Logprobs_shape()
    {
        var chunk = JsonSerializer.Deserialize("""
            {"model":"m","created_at":"2025-01-01T00:00:00Z","message":{"role":"assistant","content":"Hi"},"done":false,
             "logprobs":[{"token":"Hi","logprob":-0.1,"bytes":[72,105],"top_logprobs":[{"token":"Hi","logprob":-0.1},{"token":"Hello","logprob":-2.5}]}]}
            """, Ctx.ChatResponse)!;
        var lp = Assert.Single(chunk.Logprobs!);
        Assert.Equal(-0.1, lp.Value);
        Assert.Equal([72, 105], lp.Bytes);
        Assert.Equal("Hello", lp.TopLogprobs![1].Token);
        Assert.Contains("\"top_logprobs\":[{\"token\":\"Hi\",\"logprob\":-0.1},", JsonSerializer.Serialize(chunk, Ctx.ChatResponse));
    }

    [Fact]
    public void List_response_sample_and_details_always_written()
    {
        var list = JsonSerializer.Deserialize("""
            {"models":[{"name":"deepseek-r1:latest","model":"deepseek-r1:latest","modified_at":"2025-05-10T08:06:48.639712648-07:00",
              "size":4683075271,"digest":"0a8c266910232fd3291e71e5ba1e058cc5af9d411192cf88b6d30e92b6e73163",
              "details":{"parent_model":"","format":"gguf","family":"qwen2","families":["qwen2"],"parameter_size":"7.6B","quantization_level":"Q4_K_M"}}]}
            """, Ctx.ListResponse)!;
        var model = Assert.Single(list.Models);
        Assert.Equal(4683075271L, model.Size);
        Assert.Equal(TimeSpan.FromHours(-7), model.ModifiedAt.Offset);
        Assert.Equal("Q4_K_M", model.Details.QuantizationLevel);

        var details = JsonSerializer.Serialize(new ModelDetails { Format = "gguf" }, Ctx.ModelDetails);
        Assert.Equal("""{"parent_model":"","format":"gguf","family":"","families":null,"parameter_size":"","quantization_level":""}""", details);
        Assert.Equal("""{"models":[]}""", JsonSerializer.Serialize(new ListResponse(), Ctx.ListResponse));
    }

    [Fact]
    public void Ps_response_always_has_expiry_vram_and_context_length()
    {
        var json = JsonSerializer.Serialize(new ProcessResponse { Models = [new ProcessModelResponse { Name = "m:latest" }] }, Ctx.ProcessResponse);
        Assert.Contains("\"expires_at\":\"0001-01-01T00:00:00Z\",\"size_vram\":0,\"context_length\":0", json);
    }

    [Fact]
    public void Show_response_omits_empty_text_and_keeps_model_info()
    {
        var show = JsonSerializer.Deserialize("""
            {"modelfile":"FROM x","parameters":"num_ctx 2048","template":"{{ .Prompt }}","details":{"format":"gguf","family":"llama","families":["llama"]},
             "model_info":{"general.architecture":"llama","llama.context_length":131072,"tokenizer.ggml.tokens":["a","b"]},
             "capabilities":["completion","tools"],"modified_at":"2025-04-29T11:43:49.106658012+02:00"}
            """, Ctx.ShowResponse)!;
        Assert.Equal("llama", (string?)show.ModelInfo!["general.architecture"]);
        Assert.Equal(131072, (int)show.ModelInfo["llama.context_length"]!);
        Assert.Equal(["completion", "tools"], show.Capabilities);
        show.License = "";
        show.Capabilities = [];
        var json = JsonSerializer.Serialize(show, Ctx.ShowResponse);
        Assert.DoesNotContain("license", json);
        Assert.DoesNotContain("capabilities", json);
        Assert.Contains("\"modified_at\":\"2025-04-29T11:43:49.106658+02:00\"", json);
    }

    [Fact]
    public void Create_request_with_files_license_forms_and_parameters()
    {
        var create = JsonSerializer.Deserialize("""
            {"model":"my-gguf-model","files":{"test.gguf":"sha256:432f310a77f4650a88d0fd59ecdd7cebed8d684bafea53cbff0473542964f0c3"},
             "license":["MIT","Apache"],"parameters":{"temperature":0.5,"stop":["x"]},"system":"You are Mario.","quantize":"q4_K_M"}
            """, Ctx.CreateRequest)!;
        Assert.Equal("sha256:432f310a77f4650a88d0fd59ecdd7cebed8d684bafea53cbff0473542964f0c3", create.Files!["test.gguf"]);
        Assert.Equal(["MIT", "Apache"], create.License!.Values);
        Assert.Equal(0.5f, ModelOptions.FromMap(create.Parameters!).Temperature);
        var single = JsonSerializer.Deserialize("""{"name":"legacy","license":"MIT"}""", Ctx.CreateRequest)!;
        Assert.Equal("legacy", single.ResolveModel());
        Assert.Equal(["MIT"], single.License!.Values);
    }

    [Fact]
    public void Progress_and_legacy_names()
    {
        Assert.Equal("""{"status":"success"}""", JsonSerializer.Serialize(new ProgressResponse { Status = "success", Digest = "" }, Ctx.ProgressResponse));
        var progress = JsonSerializer.Deserialize("""{"status":"pulling 2ae6f6dd7a3d","digest":"sha256:2ae6","total":2142590208,"completed":241970}""", Ctx.ProgressResponse)!;
        Assert.Equal(241970L, progress.Completed);
        Assert.Equal("old", JsonSerializer.Deserialize("""{"name":"old"}""", Ctx.DeleteRequest)!.ResolveModel());
        Assert.Equal("new", JsonSerializer.Deserialize("""{"model":"new","name":"old"}""", Ctx.PullRequest)!.ResolveModel());
    }

    [Fact]
    public void Error_body()
    {
        Assert.Equal("""{"error":"model \"x\" not found, try pulling it first"}""",
            JsonSerializer.Serialize(new ErrorResponse("model \"x\" not found, try pulling it first"), OllamaJsonContext.Wire.ErrorResponse));
        Assert.Equal("boom", JsonSerializer.Deserialize("""{"error":"boom"}""", Ctx.ErrorResponse)!.Error);
    }

    [Fact]
    public void Wire_context_leaves_unicode_unescaped_and_escapes_html_as_go_does()
    {
        var chunk = new GenerateResponse { Model = "m", Response = "héllo 世界 <b>" };
        Assert.Contains("\"response\":\"héllo 世界 \\u003cb\\u003e\"", JsonSerializer.Serialize(chunk, OllamaJsonContext.Wire.GenerateResponse));
        Assert.DoesNotContain("héllo", JsonSerializer.Serialize(chunk, Ctx.GenerateResponse));
    }

    [Fact]
    public void Embed_response_always_has_embeddings()
    {
        Assert.Equal("""{"model":"m","embeddings":[]}""", JsonSerializer.Serialize(new EmbedResponse { Model = "m" }, Ctx.EmbedResponse));
        var response = JsonSerializer.Deserialize("""{"model":"all-minilm","embeddings":[[0.010071029,-0.0017594862]],"total_duration":14143917,"load_duration":1019500,"prompt_eval_count":8}""", Ctx.EmbedResponse)!;
        Assert.Equal(0.010071029f, response.Embeddings[0][0]);
        Assert.Equal(8, response.PromptEvalCount);
    }
}
