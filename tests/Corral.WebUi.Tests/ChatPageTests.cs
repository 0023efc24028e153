using System.Globalization;
using System.Net;
using Corral.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Corral.WebUi.Tests;

/// <summary>The chat page at /ui in Chromium against a real server: models, streaming, stop, history, rendering.</summary>
[Collection(WebUiCollectionDefinition.Name)]
public sealed class ChatPageTests(WebUiFixture fixture)
{
    static ChatPageTests() => SetDefaultExpectTimeout(30_000);

    private static ILocator LastAnswer(IPage page) => page.Locator("#messages article.assistant").Last;

    /// <summary>Selects <paramref name="model"/>, sends <paramref name="text"/> with the Send button, waits for the answer to end.</summary>
    internal static async Task ChatAsync(IPage page, string model, string text)
    {
        await page.Locator("#model").SelectOptionAsync(model);
        await page.Locator("#message").FillAsync(text);
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Page_is_served_under_a_strict_policy_and_lists_models_with_their_details()
    {
        using var http = fixture.Server.CreateClient();
        Assert.Equal("Ollama is running", await http.GetStringAsync("/"));
        using var page = await http.GetAsync("/ui");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var csp = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", csp);
        Assert.Contains("default-src 'none'", csp);
        Assert.Contains("connect-src 'self'", csp);
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        using var script = await http.GetAsync("/ui/app.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(script.Headers.ETag);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        revalidate.Headers.IfNoneMatch.Add(script.Headers.ETag);
        using var notModified = await http.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        using var missing = await http.GetAsync("/ui/no-such-file.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await using var session = await fixture.OpenPageAsync();
        var options = await session.Page.Locator("#model option").AllTextContentsAsync();
        foreach (var model in new[] { WebUiFixture.Alphabet, WebUiFixture.Thinker, WebUiFixture.Vision })
        {
            Assert.Contains(options, o => o.StartsWith(model + " (", StringComparison.Ordinal) && o.EndsWith("B)", StringComparison.Ordinal));
        }

        await session.Page.Locator("#model").SelectOptionAsync(WebUiFixture.Thinker);
        await Expect(session.Page.Locator("#model-info")).ToContainTextAsync("llama");
        await Expect(session.Page.Locator("#model-info")).ToContainTextAsync("F32");
        await Expect(session.Page.Locator("#model-info")).ToContainTextAsync("thinking");
        await Expect(session.Page.Locator("#attach-label")).ToBeHiddenAsync();
        await session.Page.Locator("#model").SelectOptionAsync(WebUiFixture.Vision);
        await Expect(session.Page.Locator("#model-info")).ToContainTextAsync("vision");
        await Expect(session.Page.Locator("#attach-label")).ToBeVisibleAsync();
        await session.ScreenshotAsync("01-loaded");
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task A_streamed_answer_is_kept_across_reloads_and_can_be_copied_regenerated_renamed_and_deleted()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await page.Locator("#model").SelectOptionAsync(WebUiFixture.Alphabet);
        await page.Locator("#message").FillAsync("hello there");
        var response = await page.RunAndWaitForResponseAsync(() => page.Locator("#send").ClickAsync(), r => r.Url.EndsWith("/api/chat", StringComparison.Ordinal));
        await Expect(LastAnswer(page).Locator(".content")).ToHaveTextAsync(SuccessorModel.Alphabet);
        Assert.Equal("application/x-ndjson", (await response.HeaderValueAsync("content-type"))?.Split(';')[0]);
        var lines = (await response.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(SuccessorModel.Alphabet.Length + 1, lines.Length); // one chunk per token, then the final one
        await Expect(LastAnswer(page).Locator(".meta")).ToContainTextAsync("26 tokens");
        await Expect(LastAnswer(page).Locator(".meta")).ToContainTextAsync("tok/s");
        await Expect(page.Locator("#conversations .open")).ToHaveTextAsync(["hello there"]);

        await LastAnswer(page).GetByRole(AriaRole.Button, new() { Name = "Copy answer" }).ClickAsync();
        Assert.Equal(SuccessorModel.Alphabet, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));

        await LastAnswer(page).GetByRole(AriaRole.Button, new() { Name = "Regenerate answer" }).ClickAsync();
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Locator("#messages article")).ToHaveCountAsync(2);
        await Expect(LastAnswer(page).Locator(".content")).ToHaveTextAsync(SuccessorModel.Alphabet);

        await session.ReloadAsync();
        await page.Locator("#conversations").GetByRole(AriaRole.Button, new() { Name = "hello there", Exact = true }).ClickAsync();
        await Expect(page.Locator("#messages article.user .content")).ToHaveTextAsync("hello there");
        await Expect(LastAnswer(page).Locator(".content")).ToHaveTextAsync(SuccessorModel.Alphabet);
        await Expect(page.Locator("#model")).ToHaveValueAsync(WebUiFixture.Alphabet);
        await session.ScreenshotAsync("02-conversation-after-reload");

        await page.GetByRole(AriaRole.Button, new() { Name = "Rename conversation hello there" }).ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.TypeAsync("Alphabet talk");
        await page.Keyboard.PressAsync("Enter");
        await session.ReloadAsync();
        await Expect(page.Locator("#conversations .open")).ToHaveTextAsync(["Alphabet talk"]);

        await page.GetByRole(AriaRole.Button, new() { Name = "Delete conversation Alphabet talk" }).ClickAsync();
        await Expect(page.Locator("#conversations li")).ToHaveCountAsync(0);
        await session.ReloadAsync();
        await Expect(page.Locator("#conversations li")).ToHaveCountAsync(0);
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task Stop_ends_the_generation_on_the_server_too()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await page.Locator("#model").SelectOptionAsync(WebUiFixture.Counter);
        await page.Locator("#message").FillAsync("count from 9");
        await page.Locator("#send").ClickAsync();

        // The counter model never ends by itself: text that keeps coming is the stream, seen while it streams.
        var content = LastAnswer(page).Locator(".content");
        await Expect(content).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0123456789012345678901234567890"));
        await Expect(page.Locator("#stop")).ToBeVisibleAsync();
        await Expect(page.Locator("#send")).ToBeHiddenAsync();
        await session.ScreenshotAsync("03-streaming");
        await page.Locator("#stop").ClickAsync();

        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(LastAnswer(page).Locator(".meta")).ToContainTextAsync("stopped");
        var shown = await content.TextContentAsync();
        Assert.Matches("^[0-9]+$", shown);

        // The server saw the client go (a 499) and its runner's slot is free again.
        using var http = fixture.Server.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string metrics;
        while (true)
        {
            metrics = await http.GetStringAsync("/metrics");
            if ((Has499(metrics) && ActiveSlots(metrics) == 0) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.True(Has499(metrics), metrics);
        Assert.Equal(0, ActiveSlots(metrics));
        await page.Locator("#refresh-loaded").ClickAsync();
        await Expect(page.Locator("#loaded")).ToContainTextAsync(WebUiFixture.Counter);

        // The stopped answer stays, and the next turn sends it as history.
        await session.ReloadAsync();
        await Expect(LastAnswer(page).Locator(".content")).ToHaveTextAsync(shown!);
        await session.AssertCleanAsync();
    }

    private static bool Has499(string metrics) =>
        metrics.Split('\n').Any(l => l.StartsWith("corral_http_requests_total{", StringComparison.Ordinal) && l.Contains("/api/chat", StringComparison.Ordinal) && l.Contains("\"499\"", StringComparison.Ordinal));

    private static int ActiveSlots(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("corral_runner_active_slots{", StringComparison.Ordinal))
            .Sum(l => (int)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));

    [Fact]
    public async Task Thinking_is_shown_collapsed_and_the_think_setting_turns_it_off()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await ChatAsync(page, WebUiFixture.Thinker, "hi");
        var answer = LastAnswer(page);
        await Expect(answer.Locator(".content")).ToHaveTextAsync(ThinkerModel.Answer);
        var thinking = answer.Locator("details.thinking");
        await Expect(thinking).ToBeVisibleAsync();
        await Expect(thinking).Not.ToHaveAttributeAsync("open", "");
        await Expect(thinking.Locator(".thought")).ToBeHiddenAsync();
        await Expect(thinking.Locator(".thought")).ToHaveTextAsync(ThinkerModel.Thought);
        await session.ScreenshotAsync("04-thinking-collapsed");
        await thinking.Locator("summary").ClickAsync();
        await Expect(thinking.Locator(".thought")).ToBeVisibleAsync();

        await page.Locator("#settings summary").ClickAsync();
        await page.Locator("#think").SelectOptionAsync("false");
        await page.Locator("#message").FillAsync("hi again");
        var request = await page.RunAndWaitForRequestAsync(() => page.Locator("#send").ClickAsync(), r => r.Url.EndsWith("/api/chat", StringComparison.Ordinal));
        Assert.Contains("\"think\":false", request.PostData);
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(LastAnswer(page).Locator(".content")).ToHaveTextAsync(ThinkerModel.Answer);
        await Expect(LastAnswer(page).Locator("details.thinking")).ToBeHiddenAsync();
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task Hostile_markup_in_model_output_never_runs()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        await ChatAsync(page, WebUiFixture.Hostile, "say something nasty");
        await Expect(LastAnswer(page).Locator(".meta")).ToContainTextAsync($"{HostileMarkupModel.Pieces.Count} tokens");
        await AssertDefusedAsync(session);
        await session.ScreenshotAsync("05-hostile-output");

        // Rendered again from localStorage after a reload: the same defences.
        await session.ReloadAsync();
        await page.Locator("#conversations .open").First.ClickAsync();
        await AssertDefusedAsync(session);
    }

    private static async Task AssertDefusedAsync(PageSession session)
    {
        var answer = LastAnswer(session.Page).Locator(".content");
        await Expect(answer.Locator("strong")).ToHaveTextAsync("bold");
        await Expect(answer.Locator("code")).ToHaveTextAsync("<b>code</b>");
        // Raw HTML is shown as the text the model wrote.
        await Expect(answer).ToContainTextAsync("<script>window.pwned = 'script'</script>");
        await Expect(answer).ToContainTextAsync("<img src=\"x\" alt=\"broken\" onerror=");
        await Expect(answer).ToContainTextAsync("html link");
        await Expect(answer).ToContainTextAsync("markdown link");
        Assert.Equal(0, await answer.Locator("script, svg, iframe, object, embed").CountAsync());
        Assert.Equal(0, await answer.Locator("[onerror], [onload], [onclick]").CountAsync());
        var hrefs = await answer.Locator("a").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href') || '')");
        Assert.DoesNotContain(hrefs, h => h.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase));

        // Clicking what is left of the links runs nothing either.
        foreach (var link in await answer.Locator("a").AllAsync())
        {
            await link.ClickAsync();
        }

        // The broken image has finished failing to load, so an onerror handler would have run by now.
        await answer.Locator("img").EvaluateAllAsync<int>(
            "images => Promise.all(images.map(i => i.complete ? 0 : new Promise(done => { i.addEventListener('error', done); i.addEventListener('load', done); }))).then(() => images.length)");
        Assert.Null(await session.Page.EvaluateAsync<string?>("() => window.pwned ?? null"));
        await session.AssertCleanAsync();
    }
}
