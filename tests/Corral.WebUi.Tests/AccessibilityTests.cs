using Corral.TestModels;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Corral.WebUi.Tests;

/// <summary>Keyboard-only use, labels, focus order, contrast, and a 375 px wide screen.</summary>
[Collection(WebUiCollectionDefinition.Name)]
public sealed class AccessibilityTests(WebUiFixture fixture)
{
    static AccessibilityTests() => SetDefaultExpectTimeout(30_000);

    // Every visible form control and button has an accessible name (a label, aria-label or text).
    private const string UnnamedControls = """
        () => [...document.querySelectorAll('button, input, select, textarea, a[href], summary')]
          .filter(el => el.getClientRects().length > 0)
          .filter(el => {
            if (el.getAttribute('aria-label')?.trim()) return false;
            if (el.labels && [...el.labels].some(l => l.textContent.trim())) return false;
            if (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) && el.textContent.trim()) return false;
            return true;
          })
          .map(el => el.outerHTML.slice(0, 80))
        """;

    // WCAG contrast of each visible text against its nearest opaque background; returns the ones under 4.5:1.
    private const string LowContrast = """
        () => {
          const rgb = s => s.match(/[\d.]+/g).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
          const background = el => {
            for (; el; el = el.parentElement) {
              const c = rgb(getComputedStyle(el).backgroundColor);
              if (c.length < 4 || c[3] > 0) return c;
            }
            return [255, 255, 255];
          };
          const bad = [];
          for (const el of document.querySelectorAll('body *')) {
            if (!el.getClientRects().length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || Number(style.opacity) < 1) continue;
            const a = lum(rgb(style.color)), b = lum(background(el));
            const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            if (ratio < 4.5) bad.push(el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
          }
          return bad;
        }
        """;

    private const string FocusedName = """
        () => {
          const el = document.activeElement;
          return el.id ? '#' + el.id : (el.getAttribute('aria-label') || el.textContent.trim()).slice(0, 40);
        }
        """;

    [Fact]
    public async Task The_page_works_from_the_keyboard_alone_in_a_sensible_focus_order()
    {
        await using var session = await fixture.OpenPageAsync();
        var page = session.Page;
        Assert.Empty(await page.EvaluateAsync<string[]>(UnnamedControls));
        Assert.Empty(await page.EvaluateAsync<string[]>(LowContrast));

        // Tab from the top: the skip link first, then the model picker, the side panel, settings, the message box.
        var order = new List<string>();
        for (var i = 0; i < 40 && !order.Contains("#send"); i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>(FocusedName));
        }

        Assert.Equal("Skip to the message box", order[0]);
        Assert.Equal("#model", order[1]);
        string[] expected = ["#model", "#new-chat", "#refresh-loaded", "#pull-name", "#pull-insecure", "#pull-button", "Settings", "#message", "#send"];
        Assert.Equal(expected, order.Where(expected.Contains));

        // Choose a model with the arrow keys, skip to the message box, send with Enter.
        await page.Locator("#model").FocusAsync();
        for (var i = 0; i < 20 && await page.Locator("#model").InputValueAsync() != WebUiFixture.Alphabet; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }

        await Expect(page.Locator("#model")).ToHaveValueAsync(WebUiFixture.Alphabet);
        await page.Locator("#model").FocusAsync();
        await page.Keyboard.PressAsync("Shift+Tab");
        await page.Keyboard.PressAsync("Enter"); // the skip link
        Assert.Equal("#message", await page.EvaluateAsync<string>(FocusedName));
        await page.Keyboard.TypeAsync("typed, not clicked");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#messages article.assistant .content")).ToHaveTextAsync(SuccessorModel.Alphabet);
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        Assert.Equal("#message", await page.EvaluateAsync<string>(FocusedName)); // ready for the next message
        await Expect(page.Locator("#messages article.user .content")).ToHaveTextAsync("typed, not clicked");
        Assert.Empty(await page.EvaluateAsync<string[]>(UnnamedControls));
        Assert.Empty(await page.EvaluateAsync<string[]>(LowContrast));

        // Escape stops a generation.
        await page.Locator("#model").SelectOptionAsync(WebUiFixture.Counter);
        await page.Locator("#message").FocusAsync();
        await page.Keyboard.TypeAsync("9");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#messages article.assistant .content").Last).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^0123456789"));
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#send")).ToBeVisibleAsync();
        await Expect(page.Locator("#messages article.assistant .meta").Last).ToContainTextAsync("stopped");
        await session.ScreenshotAsync("09-keyboard");
        await session.AssertCleanAsync();
    }

    [Fact]
    public async Task On_a_375px_screen_nothing_overflows_and_the_side_panel_opens_from_the_menu()
    {
        await using var session = await fixture.OpenPageAsync(width: 375, height: 740);
        var page = session.Page;
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 375"));
        await Expect(page.Locator("#sidebar")).ToBeHiddenAsync();
        await Expect(page.Locator("#message")).ToBeInViewportAsync();
        await Expect(page.Locator("#send")).ToBeInViewportAsync();

        await ChatPageTests.ChatAsync(page, WebUiFixture.Alphabet, "a long first message that would not fit on one line of a phone screen");
        await Expect(page.Locator("#messages article.assistant .content")).ToHaveTextAsync(SuccessorModel.Alphabet);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 375"));
        await Expect(page.Locator("#send")).ToBeInViewportAsync();
        await session.ScreenshotAsync("10-narrow-chat");

        await page.Locator("#menu-toggle").ClickAsync();
        await Expect(page.Locator("#menu-toggle")).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("#sidebar")).ToBeVisibleAsync();
        await Expect(page.Locator("#new-chat")).ToBeFocusedAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 375"));
        Assert.Empty(await page.EvaluateAsync<string[]>(UnnamedControls));
        Assert.Empty(await page.EvaluateAsync<string[]>(LowContrast));
        await session.ScreenshotAsync("11-narrow-menu");
        await session.AssertCleanAsync();
    }
}
