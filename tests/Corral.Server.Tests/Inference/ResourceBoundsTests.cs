using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Corral.Testing;

namespace Corral.Server.Tests.Inference;

/// <summary>
/// No option value or body size claims resources out of proportion (issue 16): huge values are clamped or refused in
/// Ollama's shape, prompts far beyond the context are truncated without tokenizing all of them, and the memory a huge
/// body took is given back.
/// </summary>
[Collection(SerialCollectionDefinition.Name)]
public sealed class ResourceBoundsTests(InferenceServerProcessFixture fx, Xunit.Abstractions.ITestOutputHelper log) : IClassFixture<InferenceServerProcessFixture>
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task Absurd_option_values_are_clamped_and_the_runner_stays_small()
    {
        using var response = await fx.Http.PostAsJsonAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = "a b c",
            ["stream"] = false,
            ["options"] = new JsonObject
            {
                ["num_predict"] = 3,
                ["num_batch"] = 1 << 20,
                ["num_thread"] = 100_000,
                ["repeat_last_n"] = int.MaxValue,
                ["repeat_penalty"] = 1.2,
                ["num_keep"] = int.MaxValue,
                ["top_k"] = int.MaxValue,
            },
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal(3, JsonNode.Parse(body)!["eval_count"]!.GetValue<int>());

        // An embedding model (non-causal) is where llama.cpp does not clamp num_batch to the context itself: a million
        // positions would size its compute buffers for a million tokens.
        using var embed = await fx.Http.PostAsJsonAsync("/api/embed", new JsonObject
        {
            ["model"] = "embedder",
            ["input"] = "a b c",
            ["options"] = new JsonObject { ["num_batch"] = 1 << 20, ["num_thread"] = 100_000 },
        });
        Assert.True(embed.StatusCode == HttpStatusCode.OK, await embed.Content.ReadAsStringAsync());

        // A 2^31-entry penalty window took 8 GB; 100000 ggml threads on two cores never finish (this request hung
        // for minutes before the clamp); a batch of a million positions sizes llama.cpp's buffers for a million
        // tokens, though the tiny models leave most of that untouched. Their runners need well under 400 MB.
        foreach (var pid in fx.Server.RunnerProcessIds())
        {
            Assert.InRange(ProcessResources.ResidentBytes(pid), 0, 400 * MiB);
        }
    }

    [Theory]
    [InlineData("/api/generate")]
    [InlineData("/v1/completions")]
    public async Task Too_many_or_too_long_stop_sequences_are_a_400(string route)
    {
        var tooMany = await PostAsync(route, StopRequest(route, Stops(257)));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Contains("too many stop sequences (257): at most 256", tooMany.Error, StringComparison.Ordinal);

        var tooLong = await PostAsync(route, StopRequest(route, new JsonArray(new string('x', 1025))));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("stop sequence too long (1025 characters): at most 1024", tooLong.Error, StringComparison.Ordinal);

        var fine = await PostAsync(route, StopRequest(route, Stops(256)));
        Assert.Equal(HttpStatusCode.OK, fine.Status);
    }

    [Fact]
    public async Task An_embed_request_with_more_inputs_than_its_vectors_may_take_is_a_400()
    {
        // The generated embedder is narrow, so its limit is far above OpenAI's 2048; compute it as the server does.
        using var show = await fx.Http.PostAsJsonAsync("/api/show", new { model = "embedder" });
        var info = JsonNode.Parse(await show.Content.ReadAsStringAsync())!["model_info"]!.AsObject();
        var width = info.First(p => p.Key.EndsWith(".embedding_length", StringComparison.Ordinal)).Value!.GetValue<long>();
        var limit = (int)Math.Max(2048, 256 * MiB / (4 * width));

        var inputs = new StringBuilder("{\"model\":\"embedder\",\"input\":[");
        for (var i = 0; i <= limit; i++)
        {
            inputs.Append(i == 0 ? "\"a\"" : ",\"a\"");
        }

        inputs.Append("]}");
        using var response = await fx.Http.PostAsync("/api/embed", new StringContent(inputs.ToString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"too many inputs ({limit + 1}): this model embeds at most {limit} in one request", JsonNode.Parse(body)!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_prompt_of_forty_megabytes_is_truncated_or_refused_and_its_memory_is_given_back()
    {
        var before = ProcessResources.ResidentBytes(fx.Process.ProcessId);
        var prompt = string.Concat(Enumerable.Repeat("a b c d e f g h i j k l m n o p q r s t u v w x y z ", 40 * 1024 * 1024 / 52));

        // Truncated (Ollama's default): the newest tokens are kept, the answer continues the alphabet.
        var generate = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = prompt,
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 2 },
        });
        LogMemory("after generate");
        Assert.True(generate.Status == HttpStatusCode.OK, generate.Error);
        Assert.InRange(generate.Json!["prompt_eval_count"]!.GetValue<int>(), 900, 1024);

        // The same text as one chat message: fitting the conversation counts tokens only up to the context.
        var chat = await PostAsync("/api/chat", new JsonObject
        {
            ["model"] = "successor-chat",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello" }, new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["stream"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 2 },
        });
        LogMemory("after chat");
        Assert.True(chat.Status == HttpStatusCode.OK, chat.Error);

        // Truncation off: too long, in Ollama's words, not "runner is not reachable".
        var refused = await PostAsync("/api/generate", new JsonObject
        {
            ["model"] = "successor",
            ["prompt"] = prompt,
            ["stream"] = false,
            ["truncate"] = false,
            ["options"] = new JsonObject { ["num_predict"] = 2 },
        });
        LogMemory("after refused");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("exceeds the context length", refused.Error, StringComparison.Ordinal);

        var embed = await PostAsync("/api/embed", new JsonObject { ["model"] = "embedder", ["input"] = prompt });
        LogMemory("after embed");
        Assert.True(embed.Status == HttpStatusCode.OK, embed.Error);
        prompt = null;

        // Each request read 40 MB (80 MB as a string); without giving it back the server sat at gigabytes.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        long after;
        do
        {
            await Task.Delay(500);
            after = ProcessResources.ResidentBytes(fx.Process.ProcessId);
            LogMemory("waiting");
        }
        while (after - before > 250 * MiB && DateTime.UtcNow < deadline);
        Assert.True(after - before <= 250 * MiB, $"server resident memory grew from {before / MiB} MB to {after / MiB} MB");
        foreach (var pid in fx.Server.RunnerProcessIds())
        {
            Assert.InRange(ProcessResources.ResidentBytes(pid), 0, 400 * MiB);
        }
    }

    private void LogMemory(string when) => log.WriteLine(
        $"{when}: server {ProcessResources.ResidentBytes(fx.Process.ProcessId) / MiB} MB, runners "
        + string.Join(", ", fx.Server.RunnerProcessIds().Select(p => $"{ProcessResources.ResidentBytes(p) / MiB} MB")));

    private static JsonArray Stops(int count) => new(Enumerable.Range(0, count).Select(i => (JsonNode)JsonValue.Create($"stop{i}")).ToArray());

    private static JsonObject StopRequest(string route, JsonArray stop) => route.StartsWith("/v1", StringComparison.Ordinal)
        ? new JsonObject { ["model"] = "successor", ["prompt"] = "a", ["max_tokens"] = 2, ["stop"] = stop }
        : new JsonObject { ["model"] = "successor", ["prompt"] = "a", ["stream"] = false, ["options"] = new JsonObject { ["num_predict"] = 2, ["stop"] = stop } };

    private async Task<(HttpStatusCode Status, string Error, JsonNode? Json)> PostAsync(string route, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await fx.Http.PostAsync(route, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }

        var error = json?["error"] switch
        {
            JsonValue v => v.GetValue<string>(),
            JsonObject o => o["message"]?.GetValue<string>() ?? text,
            _ => text,
        };
        return (response.StatusCode, error, json);
    }
}
