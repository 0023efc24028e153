using Corral.Testing;
using Microsoft.Playwright;

namespace Corral.WebUi.Tests;

/// <summary>
/// One browser context (its own localStorage) with one page on the chat UI. It records uncaught page errors and
/// Content-Security-Policy violations: either means something ran, or tried to, that should not have.
/// </summary>
public sealed class PageSession : IAsyncDisposable
{
    public static string ScreenshotFolder { get; } = Path.Combine(CorralPaths.RepoRoot, "artifacts", "ui-screenshots");

    // Runs before the page's own scripts in every document of the context (init scripts are not subject to the CSP).
    private const string WatchViolations = """
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sample + ' at ' + e.sourceFile + ':' + e.lineNumber));
        """;

    private readonly IBrowserContext _context;
    private readonly List<string> _pageErrors = [];

    private PageSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _pageErrors.Add(error);
    }

    public IPage Page { get; }

    public IReadOnlyList<string> PageErrors => _pageErrors;

    public static async Task<PageSession> OpenAsync(IBrowser browser, Uri server, int width = 1280, int height = 800)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        await context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await context.AddInitScriptAsync(WatchViolations);
        var session = new PageSession(context, await context.NewPageAsync());
        await session.LoadAsync();
        return session;
    }

    /// <summary>Opens /ui (again) and waits until the model list is loaded.</summary>
    public async Task LoadAsync()
    {
        var response = await Page.GotoAsync("/ui");
        Assert.Equal(200, response?.Status);
        await Page.WaitForSelectorAsync("body[data-ready=true]", new() { State = WaitForSelectorState.Attached });
    }

    public async Task ReloadAsync()
    {
        await Page.ReloadAsync();
        await Page.WaitForSelectorAsync("body[data-ready=true]", new() { State = WaitForSelectorState.Attached });
    }

    public Task<string[]> ViolationsAsync() => Page.EvaluateAsync<string[]>("() => window.__violations");

    /// <summary>No script error and no CSP violation so far.</summary>
    public async Task AssertCleanAsync()
    {
        Assert.Empty(_pageErrors);
        Assert.Empty(await ViolationsAsync());
    }

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png") });
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
