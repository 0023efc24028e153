using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Corral.Server.Tests.Vision;

/// <summary>Requests with images on each API surface, as raw JSON, answers parsed loosely.</summary>
internal static class VisionApi
{
    public const int MaxTokens = 12;

    public static async Task<(HttpStatusCode Status, JsonNode? Body, string Text)> PostAsync(HttpClient http, string path, JsonObject body)
    {
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
        }

        return (response.StatusCode, json, text);
    }

    /// <summary>
    /// Prompt tokens the model's runner has served from its prefix cache so far (<c>/metrics</c>). prompt_eval_count
    /// counts the whole prompt, cached or not, as Ollama's does, so cache reuse is seen here.
    /// </summary>
    public static async Task<double> PrefixCacheHitsAsync(HttpClient http, string model) =>
        Observability.PrometheusTextParser.Parse(await http.GetStringAsync("/metrics"))
            .Value("corral_prefix_cache_hit_tokens_total", ("model", model));

    public static JsonObject Options => new() { ["temperature"] = 0, ["seed"] = 1, ["num_predict"] = MaxTokens };

    public static JsonObject Generate(string model, string prompt, params string[] base64Images) => new()
    {
        ["model"] = model,
        ["prompt"] = prompt,
        ["images"] = new JsonArray([.. base64Images.Select(i => (JsonNode)JsonValue.Create(i))]),
        ["stream"] = false,
        ["options"] = Options,
    };

    public static JsonObject Chat(string model, string text, params string[] base64Images) => new()
    {
        ["model"] = model,
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = text,
            ["images"] = new JsonArray([.. base64Images.Select(i => (JsonNode)JsonValue.Create(i))]),
        }),
        ["stream"] = false,
        ["options"] = Options,
    };

    public static JsonObject OpenAIChat(string model, string text, string dataUrl, bool stream = false) => new()
    {
        ["model"] = model,
        ["temperature"] = 0,
        ["seed"] = 1,
        ["max_tokens"] = MaxTokens,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "text", ["text"] = text },
                new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = dataUrl } }),
        }),
    };

    public static JsonObject AnthropicMessage(string model, string text, string base64, bool stream = false) => new()
    {
        ["model"] = model,
        ["max_tokens"] = MaxTokens,
        ["temperature"] = 0,
        ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "image", ["source"] = new JsonObject { ["type"] = "base64", ["media_type"] = "image/png", ["data"] = base64 } },
                new JsonObject { ["type"] = "text", ["text"] = text }),
        }),
    };

    public static JsonObject Responses(string model, string text, string dataUrl) => new()
    {
        ["model"] = model,
        ["temperature"] = 0,
        ["seed"] = 1,
        ["max_output_tokens"] = MaxTokens,
        ["input"] = new JsonArray(new JsonObject
        {
            ["role"] = "user",
            ["content"] = new JsonArray(
                new JsonObject { ["type"] = "input_text", ["text"] = text },
                new JsonObject { ["type"] = "input_image", ["image_url"] = dataUrl }),
        }),
    };

    public static string B64(byte[] image) => Convert.ToBase64String(image);
}
