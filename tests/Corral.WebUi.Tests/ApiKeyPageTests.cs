using Corral.TestModels;
using Corral.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Corral.WebUi.Tests;

/// <summary>The page against a server started with <c>CORRAL_API_KEYS_FILE</c>: it asks for a key on 401 and keeps it in the browser.</summary>
public sealed class ApiKeyPageTests : IAsyncLifetime
{
    private const string ReadKey = "corral-read-ui-51aa";
    private const string InferKey = "corral-infer-ui-77c3";

    private InProcessServer _server = null!;
    private IPlaywright? _playwright;
    private IBrowser _browser = null!;

    static ApiKeyPageTests() => SetDefaultExpectTimeout(30_000);

    public async Task InitializeAsync()
    {
        var models = Directory.CreateTempSubdirectory("corral-webui-keys-").FullName;
        await StoreSeeder.SeedAsync(models, WebUiFixture.Alphabet, GeneratedModels.Successor, template: WebUiFixture.ChatTemplate, paramsJson: "{\"temperature\":0}");
        var keysFile = Path.Combine(TempFolders.Create("corral-webui-keyfile-"), "keys");
        await File.WriteAllLinesAsync(keysFile, [$"{ReadKey} read", $"{InferKey} infer"]);
        _server = await InProcessServer.StartAsync(new Dictionary<string, string> { ["CORRAL_API_KEYS_FILE"] = keysFile, ["OLLAMA_CONTEXT_LENGTH"] = "512" }, models);
        (_playwright, _browser) = await SystemChromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_page_loads_without_a_key_asks_for_one_and_keeps_it_only_in_the_browser()
    {
        using var http = _server.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync("/api/tags")).StatusCode);

        await using var session = await PageSession.OpenAsync(_browser, _server.BaseAddress);
        var page = session.Page;
        await Expect(page.Locator("#key-section")).ToBeVisibleAsync();
        await Expect(page.Locator("#key-message")).ToContainTextAsync("needs an API key");
        await Expect(page.Locator("#api-key")).ToBeFocusedAsync();
        await Expect(page.Locator("#api-key")).ToHaveAttributeAsync("type", "password");
        await session.ScreenshotAsync("12-api-key-asked");

        await page.Locator("#api-key").FillAsync("not-a-key");
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#key-message")).ToContainTextAsync("did not accept");

        // A read key lists the models but may not chat: the page says so.
        await page.Locator("#api-key").FillAsync(ReadKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await Expect(page.Locator("#model")).ToHaveValueAsync(WebUiFixture.Alphabet);
        await ChatPageTests.ChatAsync(page, WebUiFixture.Alphabet, "hi");
        await Expect(page.Locator("#key-message")).ToContainTextAsync("may not do that");

        await page.Locator("#api-key").FillAsync(InferKey);
        await page.Locator("#api-key").PressAsync("Enter");
        await page.Locator("#message").FillAsync("hi again");
        var request = await page.RunAndWaitForRequestAsync(() => page.Locator("#send").ClickAsync(), r => r.Url.EndsWith("/api/chat", StringComparison.Ordinal));
        Assert.Equal("Bearer " + InferKey, await request.HeaderValueAsync("authorization"));
        await Expect(page.Locator("#messages article.assistant .content").Last).ToHaveTextAsync(SuccessorModel.Alphabet);

        // Kept in localStorage (not a cookie, so it never travels on its own), and used again after a reload.
        Assert.Equal(InferKey, await page.EvaluateAsync<string>("() => localStorage.getItem('corral.apiKey')"));
        Assert.Empty(await page.Context.CookiesAsync());
        await session.ReloadAsync();
        await Expect(page.Locator("#model")).ToHaveValueAsync(WebUiFixture.Alphabet);
        await Expect(page.Locator("#key-message")).ToHaveTextAsync("Key accepted.");
        Assert.DoesNotContain(InferKey, _server.Log);
        await session.AssertCleanAsync();
    }
}
