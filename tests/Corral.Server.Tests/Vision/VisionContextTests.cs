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
        // The random model ends when it samples end-of-text (the runner tests bias that away and run to
        // num_predict); with this prompt it runs well past the 64 positions of the slot at every num_keep.
        Assert.True(evaluated + generated > 64, $"the slot must have shifted: {text}");
    }

    [Fact]
    public async Task A_shifted_slot_still_serves_the_same_image_prompt_with_the_same_output()
    {
        var (_, first, firstText) = await PostAsync(fx.Http, "/api/generate", ShiftingGenerate(6));
        var hits = await PrefixCacheHitsAsync(fx.Http, VisionFixture.Vision + ":latest");
        var (_, again, againText) = await PostAsync(fx.Http, "/api/generate", ShiftingGenerate(6));
        Assert.Equal(first!["response"]!.GetValue<string>(), again!["response"]!.GetValue<string>());
        Assert.True(first["prompt_eval_count"]!.GetValue<int>() + first["eval_count"]!.GetValue<int>() > 64, firstText);
        Assert.Equal(first["prompt_eval_count"]!.GetValue<int>(), again["prompt_eval_count"]!.GetValue<int>());
        Assert.True(await PrefixCacheHitsAsync(fx.Http, VisionFixture.Vision + ":latest") > hits, againText); // the kept prefix was reused
    }

    [Fact]
    public async Task A_conversation_whose_images_exceed_the_context_drops_its_oldest_turns()
    {
        // Four image turns: ~45 text tokens and 64 image positions against 80. The text alone fits (the same
        // prompt text, tags included, without images is served with truncate off), so only counting the images'
        // positions can tell that old turns must go.
        const int Context = 80;
        var (textStatus, _, textOnly) = await PostAsync(fx.Http, "/api/chat", Conversation(turns: 4, Context, images: false, truncate: false));
        Assert.True(textStatus == HttpStatusCode.OK, textOnly);

        var (refusedStatus, refused, refusedText) = await PostAsync(fx.Http, "/api/chat", Conversation(turns: 4, Context, images: true, truncate: false));
        Assert.True(refusedStatus == HttpStatusCode.BadRequest, refusedText);
        Assert.Equal("the input length exceeds the context length", refused!["error"]!.GetValue<string>());

        var (status, body, text) = await PostAsync(fx.Http, "/api/chat", Conversation(turns: 4, Context, images: true, truncate: null));
        Assert.True(status == HttpStatusCode.OK, text);
        var evaluated = body!["prompt_eval_count"]!.GetValue<int>();
        Assert.True(evaluated >= ImageTokens, text); // the last turn's image is there
        Assert.True(evaluated < Context, text);
        Assert.NotEmpty(body["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Several_image_turns_that_fit_keep_every_turn_on_chat_and_openai()
    {
        var (status, body, text) = await PostAsync(fx.Http, "/api/chat", Conversation(turns: 4, context: 512, images: true, truncate: false));
        Assert.True(status == HttpStatusCode.OK, text);
        Assert.True(body!["prompt_eval_count"]!.GetValue<int>() >= 4 * ImageTokens, text);

        var openai = new JsonObject
        {
            ["model"] = VisionFixture.Vision,
            ["max_tokens"] = 4,
            ["temperature"] = 0,
            ["messages"] = new JsonArray([.. Conversation(4, 512, images: true, truncate: null)["messages"]!.AsArray().Select(m => (JsonNode)OpenAIMessage(m!.AsObject()))]),
        };
        var (openaiStatus, openaiBody, openaiText) = await PostAsync(fx.Http, "/v1/chat/completions", openai);
        Assert.True(openaiStatus == HttpStatusCode.OK, openaiText);
        Assert.Equal("length", openaiBody!["choices"]![0]!["finish_reason"]!.GetValue<string>()); // max_tokens reached: served
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

    /// <summary>User turns, each with a different image and no text (or, without images, its tag as text: the same prompt text).</summary>
    private static JsonObject Conversation(int turns, int context, bool images, bool? truncate)
    {
        var messages = new JsonArray();
        for (var t = 0; t < turns; t++)
        {
            var message = new JsonObject { ["role"] = "user", ["content"] = images ? string.Empty : $"[img-{t}]" };
            if (images)
            {
                var seed = t;
                message["images"] = new JsonArray(B64(TestImages.Png((x, y) => ((byte)(x * (seed + 3)), (byte)(y * (seed + 5)), (byte)(40 * seed)))));
            }

            messages.Add(message);
        }

        var request = new JsonObject
        {
            ["model"] = VisionFixture.Vision,
            ["messages"] = messages,
            ["stream"] = false,
            ["options"] = new JsonObject { ["temperature"] = 0, ["seed"] = 1, ["num_ctx"] = context, ["num_predict"] = 4 },
        };
        if (truncate is { } value)
        {
            request["truncate"] = value;
        }

        return request;
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
