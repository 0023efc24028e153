using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Corral.WebUi.Tests;

/// <summary>The page's model features: images for vision models, pulling with progress, loaded models and unload.</summary>
[Collection(WebUiCollectionDefinition.Name)]
public sealed class ModelPanelTests(WebUiFixture fixture)
{
    static ModelPanelTests() => SetDefaultExpectTimeout(30_000);

    [Fact]
    public async Task An_image_attached_for_the_vision_model_is_sent_with_the_message()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await page.Locator("#model").SelectOptionAsync(WebUiFixture.Vision);
        var png = TestPng.Gradient();
        await page.Locator("#attach").SetInputFilesAsync(new FilePayload { Name = "gradient.png", MimeType = "image/png", Buffer = png });
        await Expect(page.Locator("#attachments img")).ToHaveCountAsync(1);
        await page.Locator("#message").FillAsync("what is in this picture?");
        await session.ScreenshotAsync("06-image-attached");
        var request = await page.RunAndWaitForRequestAsync(() => page.Locator("#send").ClickAsync(), r => r.Url.EndsWith("/api/chat", StringComparison.Ordinal));
        await Expect(page.Locator("#send")).ToBeVisibleAsync();

        using var body = JsonDocument.Parse(request.PostData!);
        var sent = body.RootElement.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("what is in this picture?", sent.GetProperty("content").GetString());
        Assert.Equal(Convert.ToBase64String(png), sent.GetProperty("images")[0].GetString());
        var answer = page.Locator("#messages article.assistant").Last;
        await Expect(answer.Locator(".meta")).ToContainTextAsync("8 tokens"); // the model's num_predict
        await Expect(answer.Locator(".error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#messages article.user img")).ToHaveCountAsync(1);
        await Expect(page.Locator("#attachments img")).ToHaveCountAsync(0);

        // The image costs prompt tokens: the projector's 16 embeddings.
        var meta = await answer.Locator(".meta").TextContentAsync();
        var promptTokens = int.Parse(System.Text.RegularExpressions.Regex.Match(meta!, @"prompt (\d+) tokens").Groups[1].Value);
        Assert.True(promptTokens >= 16, meta);

        // A text-only model has no attach button, and switching to one drops pending images.
        await page.Locator("#attach").SetInputFilesAsync(new FilePayload { Name = "again.png", MimeType = "image/png", Buffer = png });
        await page.Locator("#model").SelectOptionAsync(WebUiFixture.Alphabet);
        await Expect(page.Locator("#attach-label")).ToBeHiddenAsync();
        await Expect(page.Locator("#attachments img")).ToHaveCountAsync(0);
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task A_model_is_pulled_from_a_registry_with_progress_and_becomes_selectable()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await page.Locator("#pull-name").FillAsync(fixture.PullableName);
        await page.Locator("#pull-insecure").CheckAsync();
        await page.Locator("#pull-button").ClickAsync();
        await Expect(page.Locator("#pull-log li").Last).ToHaveTextAsync("success");
        var log = await page.Locator("#pull-log li").AllTextContentsAsync();
        Assert.Equal("pulling manifest", log[0]);
        Assert.Contains($"pulling {fixture.Pullable.ModelLayer.Digest.Hex[..12]}", log);
        Assert.Equal(["verifying sha256 digest", "writing manifest", "success"], log.TakeLast(3));
        var progress = page.Locator("#pull-progress");
        await Expect(progress).ToBeVisibleAsync();
        var valueAndMax = await progress.EvaluateAsync<double[]>("p => [p.value, p.max]");
        Assert.True(valueAndMax[1] >= fixture.Pullable.ModelLayer.Size, $"progress max {valueAndMax[1]}"); // the sum over the layers
        Assert.Equal(valueAndMax[1], valueAndMax[0]);
        await Expect(page.Locator("#model")).ToHaveValueAsync(fixture.PullableName);
        await session.ScreenshotAsync("07-pulled");

        using var http = fixture.Server.CreateClient();
        Assert.Contains(fixture.PullableName, await http.GetStringAsync("/api/tags"));
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task Loaded_models_are_listed_and_can_be_unloaded()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await ChatPageTests.ChatAsync(page, WebUiFixture.Alphabet, "load it");
        var loaded = page.Locator("#loaded li").Filter(new() { HasText = WebUiFixture.Alphabet });
        await Expect(loaded).ToHaveCountAsync(1);
        await Expect(loaded).ToContainTextAsync("until");
        await session.ScreenshotAsync("08-loaded-models");

        await page.GetByRole(AriaRole.Button, new() { Name = "Unload " + WebUiFixture.Alphabet, Exact = true }).ClickAsync();
        await Expect(loaded).ToHaveCountAsync(0);
        using var http = fixture.Server.CreateClient();
        using var ps = JsonDocument.Parse(await http.GetStringAsync("/api/ps"));
        Assert.DoesNotContain(ps.RootElement.GetProperty("models").EnumerateArray(), m => m.GetProperty("name").GetString()!.StartsWith(WebUiFixture.Alphabet, StringComparison.Ordinal));
        await session.AssertCleanAsync();
    }
}
