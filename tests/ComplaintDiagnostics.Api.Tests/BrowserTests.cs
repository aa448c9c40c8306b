using System.Net;
using System.Text.RegularExpressions;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// /rules and /swagger rendered by headless Chromium (Debian's package, which .ci/run installs) against the
/// service on a real loopback port. Skipped, visibly, on a developer machine without Chromium; in CI a
/// missing browser fails the test.
/// </summary>
public sealed partial class BrowserTests() : TempRulesService(onLoopback: true)
{
    [SkippableFact]
    public async Task RulesPageShowsOneRowPerRuleInHitOrder()
    {
        var dom = await RenderAsync("/rules");

        var rules = await Client.GetJsonAsync("/api/v1/rules");
        var expected = rules.GetProperty("workflows").EnumerateArray()
            .SelectMany(w => w.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()!)).ToList();
        Assert.Equal(expected, RuleRow().Matches(dom).Select(m => m.Groups[1].Value));
        Assert.Contains($"data-version=\"{rules.GetProperty("version").GetString()}\"", dom, StringComparison.Ordinal);
        // Load times in the operator's offset to the second, not raw UTC with microseconds (the test clock is 01:00 UTC).
        Assert.Contains("loaded 2026-11-28 09:00:00 (+08:00)", dom, StringComparison.Ordinal);
        Assert.Contains("经过核实，该地点的网络运行情况正常，请您再留意观察，如再次出现请随时与我们联系。", dom, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RulesPageShowsTheLastRefusedEditWithItsErrors()
    {
        var client = Client;
        Rules.Edit("workflows/data.json", "ticket.SimActivated == false", "ticket.SimActivatd == false");
        await HttpClientExtensions.Eventually(async () =>
            (await client.GetJsonAsync("/api/v1/rules/status")).TryGetProperty("lastRefused", out _), HttpClientExtensions.ReloadDeadline, "the edit is refused");

        var dom = await RenderAsync("/rules");

        Assert.Contains("id=\"last-refused\"", dom, StringComparison.Ordinal);
        Assert.Contains("workflows/data.json:", dom, StringComparison.Ordinal);
        Assert.Contains("D3_SimNotActivated", dom, StringComparison.Ordinal);
        var rules = await Client.GetJsonAsync("/api/v1/rules");
        Assert.Equal(rules.GetProperty("workflows").EnumerateArray().Sum(w => w.GetProperty("rules").GetArrayLength()), RuleRow().Count(dom));
    }

    [SkippableFact]
    public async Task SwaggerUiRendersTheDiagnoseOperation()
    {
        var dom = await RenderAsync("/swagger/index.html");

        Assert.Contains("opblock", dom, StringComparison.Ordinal);
        Assert.Contains("/api/v1/diagnose", dom, StringComparison.Ordinal);
        Assert.Contains("/api/v1/rules/status", dom, StringComparison.Ordinal);
    }

    private Task<string> RenderAsync(string path) => HeadlessChromium.DumpDomAsync(BaseUrl + path);

    [GeneratedRegex("<tr data-rule=\"([^\"]+)\"")]
    private static partial Regex RuleRow();
}
