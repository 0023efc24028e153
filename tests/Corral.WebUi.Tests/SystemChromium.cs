using Microsoft.Playwright;

namespace Corral.WebUi.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright's .NET driver (which brings its own Node). Playwright cannot download its
/// own browsers on these machines, so the tests launch the system one; test.sh installs it.
/// </summary>
public static class SystemChromium
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install it with 'apt-get install -y chromium' (test.sh does this)");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                // Tests run as root in containers, where Chromium's sandbox cannot start.
                Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
