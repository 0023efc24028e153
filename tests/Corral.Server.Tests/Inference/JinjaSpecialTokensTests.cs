using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Corral.TestModels;
using Corral.Testing;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// A GGUF's Jinja template gets the vocabulary's BOS and EOS texts: Zephyr, Llama 2 and Mistral templates end every
/// turn with <c>eos_token</c>, and with it empty the turns ran together in the prompt the model saw.
/// </summary>
public sealed class JinjaSpecialTokensTests : IAsyncLifetime
{
    /// <summary>Zephyr's chat template (HuggingFaceH4/zephyr-7b-beta), whose turns end in eos_token.</summary>
    private const string Zephyr =
        "{% for message in messages %}\n"
        + "{% if message['role'] == 'user' %}\n{{ '<|user|>\n' + message['content'] + eos_token }}\n"
        + "{% elif message['role'] == 'system' %}\n{{ '<|system|>\n' + message['content'] + eos_token }}\n"
        + "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\n'  + message['content'] + eos_token }}\n"
        + "{% endif %}\n"
        + "{% if loop.last and add_generation_prompt %}\n{{ '<|assistant|>' }}\n{% endif %}\n"
        + "{% endfor %}";

    private InProcessServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var models = TempFolders.Create("corral-e2e-");
        var zephyr = Path.Combine(TempFolders.Create("corral-zephyr-"), "zephyr.gguf");
        TestModelWriter.WriteRandom(zephyr, chatTemplate: Zephyr);
        await StoreSeeder.SeedAsync(models, "zephyr", zephyr);
        await StoreSeeder.SeedAsync(models, "llama3-shaped", GeneratedModels.Random);
        _server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["OLLAMA_CONTEXT_LENGTH"] = "512" }, models);
        _http = _server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Every_turn_ends_with_the_vocabularys_eos_text()
    {
        var prompt = await RenderAsync("zephyr");
        Assert.Equal(
            "<|system|>\nbe brief<|end_of_text|>\n<|user|>\nhi<|end_of_text|>\n<|assistant|>\nhello<|end_of_text|>\n<|user|>\nagain<|end_of_text|>\n<|assistant|>\n",
            prompt);
    }

    [Fact]
    public async Task A_leading_bos_text_is_left_to_the_runner_which_adds_the_token()
    {
        // The Llama-3-shaped template starts with bos_token and its vocabulary adds BOS: the text would be a second one.
        var prompt = await RenderAsync("llama3-shaped");
        Assert.StartsWith("<|start_header_id|>system<|end_header_id|>\n\nbe brief<|eot_id|>", prompt, StringComparison.Ordinal);
    }

    private async Task<string> RenderAsync(string model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["_debug_render_only"] = true,
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "system", ["content"] = "be brief" },
                new JsonObject { ["role"] = "user", ["content"] = "hi" },
                new JsonObject { ["role"] = "assistant", ["content"] = "hello" },
                new JsonObject { ["role"] = "user", ["content"] = "again" }),
        };
        using var response = await _http.PostAsync("/api/chat", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!["_debug_info"]!["rendered_template"]!.GetValue<string>();
    }
}
