using System.Net;
using System.Text.Json.Nodes;
using static Corral.Server.Tests.Vision.VisionApi;

namespace Corral.Server.Tests.Vision;

/// <summary>
/// Images and a small context: a slot that fills up shifts without cutting through an image, and a conversation
/// whose images don't fit loses its oldest turns instead of failing (images count the positions the projector gives them).
/// </summary>
public sealed class VisionContextTests(VisionFixture fx) : IClassFixture<VisionFixture>
{
    /// <summary>Positions one 32×32 image takes with the generated projector.</summary>
    private const int ImageTokens = 16;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)] // inside the image: the image stays whole in the kept part
    [InlineData(20)]
    public async Task Generation_past_a_small_context_shifts_around_the_image_and_goes_on(int numKeep)
    {
        var request = ShiftingGenerate(numKeep);
        var (status, body, text) = await PostAsync(fx.Http, "/api/generate", request);

        Assert.True(status == HttpStatusCode.OK, text);
        Assert.True(body!["done"]!.GetValue<bool>());
        var evaluated = body["prompt_eval_count"]!.GetValue<int>();
        var generated = body["eval_count"]!.GetValue<int>();
        Assert.NotEmpty(body["response"]!.GetValue<string>());
        Assert.True(evaluated >= ImageTokens, text);
        Assert.True(evaluated + generated > 2 * 64, $"the slot must have shifted more than once: {text}");
        Assert.Equal("length", body["done_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_shifted_slot_still_serves_the_same_image_prompt_with_the_same_output()
    {
        var (_, first, firstText) = await PostAsync(fx.Http, "/api/generate", ShiftingGenerate(6));
        var (_, again, againText) = await PostAsync(fx.Http, "/api/generate", ShiftingGenerate(6));
        Assert.Equal(first!["response"]!.GetValue<string>(), again!["response"]!.GetValue<string>());
        Assert.True(first["eval_count"]!.GetValue<int>() == 200, firstText);
        Assert.True(again["eval_count"]!.GetValue<int>() == 200, againText);
    }

    [Fact]
    public async Task A_conversation_whose_images_exceed_the_context_drops_its_oldest_turns()
    {
        const int Context = 96;
        var conversation = Conversation(turns: 6, Context);

        var (status, body, text) = await PostAsync(fx.Http, "/api/chat", conversation);
        Assert.True(status == HttpStatusCode.OK, text);
        var evaluated = body!["prompt_eval_count"]!.GetValue<int>();
        Assert.True(evaluated >= ImageTokens, text); // the last turn's image is there
        Assert.True(evaluated < Context, text);       // but not six of them (96 positions alone)
        Assert.NotEmpty(body["message"]!["content"]!.GetValue<string>());

        // The same conversation through /v1/chat/completions (data URLs) fits the same way.
        var openai = new JsonObject
        {
            ["model"] = VisionFixture.Vision,
            ["max_tokens"] = 4,
            ["temperature"] = 0,
            ["messages"] = new JsonArray([.. conversation["messages"]!.AsArray().Select(m => (JsonNode)OpenAIMessage(m!.AsObject()))]),
        };
        // /v1 has no num_ctx: the model's context is the fixture's 512, so six images fit there; it must still answer.
        var (openaiStatus, _, openaiText) = await PostAsync(fx.Http, "/v1/chat/completions", openai);
        Assert.True(openaiStatus == HttpStatusCode.OK, openaiText);
    }

    [Fact]
    public async Task With_truncate_off_a_conversation_whose_images_exceed_the_context_is_a_400()
    {
        var conversation = Conversation(turns: 6, context: 96);
        conversation["truncate"] = false;
        var (status, body, text) = await PostAsync(fx.Http, "/api/chat", conversation);
        Assert.True(status == HttpStatusCode.BadRequest, text);
        Assert.Equal("the input length exceeds the context length", body!["error"]!.GetValue<string>());
    }

    private static JsonObject ShiftingGenerate(int numKeep)
    {
        var request = Generate(VisionFixture.Vision, "[img-0] tell me a long story about it", B64(TestImages.Gradient));
        request["raw"] = true;
        request["options"] = new JsonObject
        {
            ["temperature"] = 0,
            ["seed"] = 1,
            ["num_ctx"] = 64,
            ["num_keep"] = numKeep,
            ["num_predict"] = 200,
        };
        return request;
    }

    /// <summary>Turns of (user: a different image and a question, assistant: a short answer), ending with a user turn.</summary>
    private static JsonObject Conversation(int turns, int context)
    {
        var messages = new JsonArray();
        for (var t = 0; t < turns; t++)
        {
            var image = TestImages.Png((x, y) => ((byte)(x * (t + 3)), (byte)(y * (t + 5)), (byte)(40 * t)));
            messages.Add(new JsonObject
            {
                ["role"] = "user",
                ["content"] = $"picture {t}: what is it?",
                ["images"] = new JsonArray(B64(image)),
            });
            if (t < turns - 1)
            {
                messages.Add(new JsonObject { ["role"] = "assistant", ["content"] = "a pattern" });
            }
        }

        return new JsonObject
        {
            ["model"] = VisionFixture.Vision,
            ["messages"] = messages,
            ["stream"] = false,
            ["options"] = new JsonObject { ["temperature"] = 0, ["seed"] = 1, ["num_ctx"] = context, ["num_predict"] = 4 },
        };
    }

    private static JsonObject OpenAIMessage(JsonObject native)
    {
        if (native["images"] is not JsonArray images)
        {
            return new JsonObject { ["role"] = native["role"]!.GetValue<string>(), ["content"] = native["content"]!.GetValue<string>() };
        }

        var content = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = native["content"]!.GetValue<string>() });
        foreach (var image in images)
        {
            content.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = "data:image/png;base64," + image!.GetValue<string>() } });
        }

        return new JsonObject { ["role"] = native["role"]!.GetValue<string>(), ["content"] = content };
    }
}
