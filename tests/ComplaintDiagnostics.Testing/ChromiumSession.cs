using PuppeteerSharp;

namespace ComplaintDiagnostics.Testing;

/// <summary>The system Chromium driven over the DevTools protocol (PuppeteerSharp, pointed at
/// <see cref="HeadlessChromium.Path"/>: no browser download), for tests that click through a page as a user does.</summary>
internal static class ChromiumSession
{
    public static async Task<IBrowser> LaunchAsync()
    {
        HeadlessChromium.SkipUnlessInstalled();
        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = HeadlessChromium.Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
        });
    }
}
