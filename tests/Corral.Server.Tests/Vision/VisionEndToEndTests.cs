using System.Net;
using System.Text.Json.Nodes;
using Corral.Api.Ollama;
using static Corral.Server.Tests.Vision.VisionApi;

namespace Corral.Server.Tests.Vision;

/// <summary>The generated vision model (text model + CLIP projector) end to end through every API surface.</summary>
public sealed class VisionEndToEndTests(VisionFixture fx) : IClassFixture<VisionFixture>
{
    /// <summary>Embeddings one 32×32 image becomes with the generated projector (8×8 patches).</summary>
    private const int ImageTokens = 16;

    private static readonly string Gradient = B64(TestImages.Gradient);
    private static readonly string Checkers = B64(TestImages.Checkers);

    [Fact]
    public async Task Create_with_a_projector_file_gives_a_vision_model()
    {
        Assert.Equal("success", fx.VisionCreateProgress[^1].Status);
        var show = await fx.Client.ShowAsync(new ShowRequest { Model = VisionFixture.Vision });
        Assert.Contains("vision", show.Capabilities!);
        Assert.NotNull(show.ProjectorInfo);
        Assert.Equal("clip", show.ProjectorInfo!["general.architecture"]!.GetValue<string>());

        var text = await fx.Client.ShowAsync(new ShowRequest { Model = VisionFixture.TextOnly });
        Assert.DoesNotContain("vision", text.Capabilities!);
        Assert.Null(text.ProjectorInfo);
    }

    [Fact]
    public async Task Generate_same_image_same_output_different_image_different_output()
    {
        var first = await GenerateAsync("what is this?", Gradient);
        var again = await GenerateAsync("what is this?", Gradient);
        var other = await GenerateAsync("what is this?", Checkers);

        Assert.NotEmpty(first);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Prompt_eval_count_includes_the_image_positions_and_the_cache_reuses_only_the_same_image()
    {
        var fresh = B64(TestImages.Png((x, y) => ((byte)(x * 7), (byte)(y * 7), 99)));
        var withImage = Generate(VisionFixture.Vision, "[img-0] tell me", fresh);
        withImage["raw"] = true;
        var withoutImage = Generate(VisionFixture.Vision, " tell me");
        withoutImage["raw"] = true;

        var (_, imageBody, _) = await PostAsync(fx.Http, "/api/generate", withImage);
        var imageCount = imageBody!["prompt_eval_count"]!.GetValue<int>();

        // The same image again: its positions come from the one slot's prefix cache (only the last token is evaluated
        // again); the count is still the whole prompt's.
        var hits = await PrefixCacheHitsAsync(fx.Http, VisionFixture.Vision + ":latest");
        var (_, repeatBody, _) = await PostAsync(fx.Http, "/api/generate", withImage);
        Assert.Equal(imageCount, repeatBody!["prompt_eval_count"]!.GetValue<int>());
        Assert.Equal(imageCount - 1, await PrefixCacheHitsAsync(fx.Http, VisionFixture.Vision + ":latest") - hits);
        Assert.Equal(imageBody["response"]!.GetValue<string>(), repeatBody["response"]!.GetValue<string>());

        var (_, textBody, _) = await PostAsync(fx.Http, "/api/generate", withoutImage);
        var textCount = textBody!["prompt_eval_count"]!.GetValue<int>();
        Assert.True(imageCount - textCount >= ImageTokens - 1, $"with image {imageCount}, without {textCount}");
    }

    [Fact]
    public async Task A_different_image_never_reuses_the_cached_one()
    {
        // Checkers alone, on a fresh runner.
        await fx.Client.GenerateAsync(new GenerateRequest { Model = VisionFixture.Vision, KeepAlive = KeepAlive.UnloadNow });
        var alone = await ChatAsync("describe", Checkers);

        // Gradient fills the one slot's cache; checkers must then be evaluated, not matched against it.
        var gradient = await ChatAsync("describe", Gradient);
        var (_, body, _) = await PostAsync(fx.Http, "/api/chat", Chat(VisionFixture.Vision, "describe", Checkers));
        Assert.Equal(alone, body!["message"]!["content"]!.GetValue<string>());
        Assert.NotEqual(alone, gradient);
        Assert.True(body["prompt_eval_count"]!.GetValue<int>() >= ImageTokens, body.ToJsonString());
    }

    [Fact]
    public async Task Images_through_chat_openai_and_anthropic_routes()
    {
        var native = await ChatAsync("what is this?", Gradient);
        var nativeOther = await ChatAsync("what is this?", Checkers);
        Assert.NotEqual(native, nativeOther);

        var (status, openai, text) = await PostAsync(fx.Http, "/v1/chat/completions", OpenAIChat(VisionFixture.Vision, "what is this?", "data:image/png;base64," + Gradient));
        Assert.True(status == HttpStatusCode.OK, text);
        var openaiText = openai!["choices"]![0]!["message"]!["content"]!.GetValue<string>();
        Assert.NotEmpty(openaiText);
        Assert.True(openai["usage"]!["prompt_tokens"]!.GetValue<int>() > 0);

        (status, var anthropic, text) = await PostAsync(fx.Http, "/v1/messages", AnthropicMessage(VisionFixture.Vision, "what is this?", Gradient));
        Assert.True(status == HttpStatusCode.OK, text);
        var anthropicText = anthropic!["content"]![0]!["text"]!.GetValue<string>();
        Assert.NotEmpty(anthropicText);

        (status, var responses, text) = await PostAsync(fx.Http, "/v1/responses", Responses(VisionFixture.Vision, "what is this?", "data:image/png;base64," + Gradient));
        Assert.True(status == HttpStatusCode.OK, text);
        var responsesText = responses!["output"]!.AsArray().Single(i => i!["type"]!.GetValue<string>() == "message")!["content"]![0]!["text"]!.GetValue<string>();

        // Same image, same text, greedy: every surface renders the same prompt and gets the same answer.
        Assert.Equal(native, openaiText);
        Assert.Equal(native, anthropicText);
        Assert.Equal(native, responsesText);
    }

    [Fact]
    public async Task A_bmp_image_works_too()
    {
        var bmp = await GenerateAsync("what is this?", B64(TestImages.Bmp((x, _) => ((byte)(255 - (x * 8)), 0, (byte)(x * 8)))));
        Assert.Equal(await GenerateAsync("what is this?", Gradient), bmp); // same pixels as the gradient PNG
    }

    [Fact]
    public async Task Debug_render_shows_the_image_tags()
    {
        var request = Chat(VisionFixture.Vision, "what is this?", Gradient, Checkers);
        request["_debug_render_only"] = true;
        var (_, body, _) = await PostAsync(fx.Http, "/api/chat", request);
        var rendered = body!["_debug_info"]!["rendered_template"]!.GetValue<string>();
        Assert.Contains("[img-0][img-1]what is this?", rendered);
        Assert.Equal(2, body["_debug_info"]!["image_count"]!.GetValue<int>());
    }

    private async Task<string> GenerateAsync(string prompt, string image)
    {
        var (status, body, text) = await PostAsync(fx.Http, "/api/generate", Generate(VisionFixture.Vision, prompt, image));
        Assert.True(status == HttpStatusCode.OK, text);
        return body!["response"]!.GetValue<string>();
    }

    private async Task<string> ChatAsync(string prompt, string image)
    {
        var (status, body, text) = await PostAsync(fx.Http, "/api/chat", Chat(VisionFixture.Vision, prompt, image));
        Assert.True(status == HttpStatusCode.OK, text);
        return body!["message"]!["content"]!.GetValue<string>();
    }
}
