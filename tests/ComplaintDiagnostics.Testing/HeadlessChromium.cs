using System.Diagnostics;

namespace ComplaintDiagnostics.Testing;

/// <summary>Debian's Chromium (which .ci/run installs), headless, dumping the DOM of a page after its scripts ran.
/// On a developer machine without it the browser tests skip, visibly; in CI a missing browser fails them.</summary>
internal static class HeadlessChromium
{
    public const string Path = "/usr/bin/chromium";

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(File.Exists(Path) || Environment.GetEnvironmentVariable("CI") == "true",
            $"{Path} is not installed (apt-get install chromium); .ci/run installs it.");

    public static async Task<string> DumpDomAsync(string url)
    {
        SkipUnlessInstalled();
        var profile = Directory.CreateTempSubdirectory("cd-chromium-");
        try
        {
            var start = new ProcessStartInfo(Path)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                $"--user-data-dir={profile.FullName}", "--virtual-time-budget=15000", "--dump-dom", url,
            })
            {
                start.ArgumentList.Add(arg);
            }
            using var chromium = Process.Start(start)!;
            var dom = chromium.StandardOutput.ReadToEndAsync();
            var errors = chromium.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await chromium.WaitForExitAsync(timeout.Token);
            Assert.True(chromium.ExitCode == 0, $"chromium exited {chromium.ExitCode}: {await errors}");
            return await dom;
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
