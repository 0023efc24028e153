using System.Net;
using System.Text.Json.Nodes;
using static Corral.Server.Tests.Vision.VisionApi;

namespace Corral.Server.Tests.Vision;

/// <summary>Every bad-image case answers 400 in each API's error shape, and the server and runner keep serving.</summary>
public sealed class BadImageTests(VisionFixture fx) : IClassFixture<VisionFixture>
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var api in (string[])["generate", "chat", "openai", "openai-stream", "anthropic", "anthropic-stream"])
        {
            // OpenAI's image_url gets Ollama's plain "invalid image input"; the others name base64.
            data.Add(api, "not-base64", api.StartsWith("openai", StringComparison.Ordinal) ? "invalid image input" : "base64");
            data.Add(api, "not-an-image", "invalid image input: image 1: unsupported image format (expected PNG, JPEG, GIF or BMP)");
            data.Add(api, "truncated-png", "invalid image input: image 1: The image could not be decoded");
            data.Add(api, "truncated-png-header", "invalid image input: image 1: truncated PNG header");
            data.Add(api, "truncated-jpeg", "invalid image input: image 1: truncated JPEG (it ends before its image data)");
            data.Add(api, "truncated-jpeg-header", "invalid image input: image 1: truncated JPEG header");
            data.Add(api, "absurd-size", "invalid image input: image 1: image is 100000x100000 pixels; the limit is 16384 pixels a side");
            data.Add(api, "text-only-model", "\"text-only\" does not support images: this model is missing data required for image input");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_image_is_a_400_and_everything_keeps_working(string api, string kind, string expected)
    {
        var model = kind == "text-only-model" ? VisionFixture.TextOnly : VisionFixture.Vision;
        var image = kind switch
        {
            "not-base64" => "this is *not* base64!",
            "not-an-image" => B64("just some text"u8.ToArray()),
            "truncated-png" => B64(TestImages.TruncatedPng),
            "truncated-png-header" => B64(TestImages.Gradient[..20]),
            "truncated-jpeg" => B64(TestImages.TruncatedJpeg),
            "truncated-jpeg-header" => B64(TestImages.TruncatedJpegHeader),
            "absurd-size" => B64(TestImages.PngHeaderOnly(100_000, 100_000)),
            _ => B64(TestImages.Gradient),
        };

        var (status, body, text) = await SendAsync(api, model, image);
        Assert.True(status == HttpStatusCode.BadRequest, $"{status}: {text}");
        var message = api switch
        {
            "generate" or "chat" => body!["error"]!.GetValue<string>(),
            "openai" or "openai-stream" => body!["error"]!["message"]!.GetValue<string>(),
            _ => Anthropic(body!),
        };
        Assert.Contains(expected, message, StringComparison.Ordinal);

        // The server and the runner are still there.
        var (okStatus, _, okText) = await SendAsync(api, VisionFixture.Vision, B64(TestImages.Gradient));
        Assert.True(okStatus == HttpStatusCode.OK, okText);
    }

    private static string Anthropic(JsonNode body)
    {
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        return body["error"]!["message"]!.GetValue<string>();
    }

    private Task<(HttpStatusCode, JsonNode?, string)> SendAsync(string api, string model, string image) => api switch
    {
        "generate" => PostAsync(fx.Http, "/api/generate", Generate(model, "what is this?", image)),
        "chat" => PostAsync(fx.Http, "/api/chat", Chat(model, "what is this?", image)),
        "openai" or "openai-stream" => PostAsync(fx.Http, "/v1/chat/completions", OpenAIChat(model, "what is this?", "data:image/png;base64," + image, api == "openai-stream")),
        _ => PostAsync(fx.Http, "/v1/messages", AnthropicMessage(model, "what is this?", image, api == "anthropic-stream")),
    };
}
