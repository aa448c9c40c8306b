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
        // Table rows show their cells under their columns; the history shows this replica's load (no Git here).
        Assert.Contains("<td class=\"cell\" data-column=\"customer.tier\">groupInterProvincial or groupProvincial</td>", dom, StringComparison.Ordinal);
        Assert.Contains("<table id=\"history-table\" data-source=\"memory\">", dom, StringComparison.Ordinal);
        Assert.Contains(rules.GetProperty("version").GetString()!, dom[dom.IndexOf("history-table", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task RulesPageShowsTheLastRefusedEditWithItsErrors()
    {
        var client = Client;
        Rules.Edit("workflows/data.json", "\"simActivated\": false", "\"simActivatd\": false");
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

    [SkippableFact]
    public async Task TryItPanelDiagnosesWithRealClicksAndHighlightsTheRows()
    {
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        // The operator's browser asks for Chinese, as the front desk's reply does.
        await page.SetExtraHttpHeadersAsync(new Dictionary<string, string> { ["Accept-Language"] = "zh-CN" });
        await page.GoToAsync(BaseUrl + "/rules");
        await page.WaitForSelectorAsync("#try-run");
        // A complete data complaint whose front desk found the terminal faulty: D6 answers, D0 to D5 and D6's
        // predecessors are evaluated on the way.
        await page.SelectAsync("#try-complaintType", "data");
        foreach (var (field, value) in new[]
        {
            ("billing", "postpaid"), ("inArrears", "false"), ("dataFeatureEnabled", "true"), ("roaming", "local"),
            ("scope", "allTimesAllPlaces"), ("frontDeskChecks.restarted", "true"), ("frontDeskChecks.settingsOk", "true"),
            ("frontDeskChecks.terminalOk", "false"),
        })
        {
            await page.SelectAsync($"[id='try-{field}']", value);
        }
        await page.ClickAsync("#try-run");
        await page.WaitForSelectorAsync("section[data-workflow='Data'] tr.matched");

        var matched = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('section[data-workflow=\"Data\"] tr.matched')].map(r => r.dataset.rule)");
        var evaluated = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('section[data-workflow=\"Data\"] tr.evaluated')].map(r => r.dataset.rule)");
        var policies = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('section[data-role=\"policy\"] tr.matched')].map(r => r.dataset.rule)");
        var reply = await page.EvaluateExpressionAsync<string>("document.getElementById('try-reply').textContent");
        var expected = await Client.DiagnoseAsync(Complaint.Data("frontDeskChecks.terminalOk=false"));

        Assert.Equal(["D6_TerminalFault"], matched);
        Assert.Equal(expected.Trace.Evaluated.Where(e => !e.Matched).Select(e => e.Rule), evaluated);
        Assert.Equal(expected.Trace.Policies.Where(p => p.MatchedRule is not null).Select(p => p.MatchedRule!), policies);
        Assert.Equal(expected.Reply.Text, reply);

        // Change one answer and click again: the highlight follows the new answer, nothing stale stays lit.
        await page.SelectAsync("[id='try-inArrears']", "true");
        await page.ClickAsync("#try-run");
        await page.WaitForSelectorAsync("section[data-workflow='Data'] tr.matched[data-rule='D1_AccountInArrears']");
        Assert.Equal(1, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('section[data-workflow=\"Data\"] tr.matched').length"));
    }

    [SkippableFact]
    public async Task TryItPanelFollowsUpAndShowsTheEscalationAndTheContractsErrors()
    {
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.GoToAsync(BaseUrl + "/rules");
        await page.WaitForSelectorAsync("#try-run");
        await page.SelectAsync("#try-complaintType", "groupFault");
        await page.SelectAsync("[id='try-customer.tier']", "groupLocal");
        // Date-time pickers differ per locale; their value is set as a picker would set it.
        await page.EvaluateExpressionAsync("document.getElementById('try-receivedAt').value = '2026-11-28T09:00:00'");
        await page.EvaluateExpressionAsync("document.getElementById('try-now').value = '2026-11-28T19:00:00'");
        await page.ClickAsync("#try-follow-up");
        await page.WaitForSelectorAsync("#try-escalation");

        var escalation = await page.EvaluateExpressionAsync<string>("document.getElementById('try-escalation').textContent");
        var lit = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('section[data-role=\"escalation\"] tr.matched')].map(r => r.dataset.rule)");
        Assert.StartsWith("Escalation level ", escalation, StringComparison.Ordinal);
        Assert.Contains("resolveBy", escalation, StringComparison.Ordinal);
        Assert.Single(lit);

        // A value the contract refuses comes back as the problem naming the field, on the page.
        await page.EvaluateExpressionAsync("document.getElementById('try-location.signalBars').value = '9'");
        await page.ClickAsync("#try-run");
        await page.WaitForSelectorAsync("#try-problem");
        Assert.Contains("location.signalBars", await page.EvaluateExpressionAsync<string>("document.getElementById('try-problem').textContent"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AtTwelveHundredEightyPixelsEveryRowReadsFromItsRuleToItsCauseAndNoLabelRunsIntoAField()
    {
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(BaseUrl + "/rules");
        await page.WaitForSelectorAsync("section[data-workflow] tr[data-rule]");

        // Compact: each table's Cause column ends inside the window, with no sideways scrolling.
        var causeEdges = await page.EvaluateExpressionAsync<double[]>(
            "[...document.querySelectorAll('section[data-workflow] thead')].map(h => [...h.querySelectorAll('th')].find(th => th.textContent === 'Cause').getBoundingClientRect().right)");
        Assert.NotEmpty(causeEdges);
        Assert.All(causeEdges, right => Assert.True(right <= 1280, $"a Cause column ends at {right} px"));
        // Scrolled sideways, a table keeps its rule names where they were.
        var kept = await page.EvaluateExpressionAsync<double[]>("""
            (() => { const box = document.querySelector('section[data-workflow] .scroll'); const name = box.querySelector('td.rule');
              const before = name.getBoundingClientRect().left; box.scrollLeft = 600; return [before, name.getBoundingClientRect().left, box.scrollLeft]; })()
            """);
        Assert.True(kept[2] > 0, "the table does not scroll: nothing to check");
        Assert.True(Math.Abs(kept[0] - kept[1]) < 2, $"the rule names moved from {kept[0]} to {kept[1]} px");
        // The try-it form: no label's text overlaps any field.
        var overlaps = await page.EvaluateExpressionAsync<string[]>("""
            (() => { const spans = [...document.querySelectorAll('#try-form label span')].map(s => [s.textContent, s.getBoundingClientRect()]);
              const fields = [...document.querySelectorAll('#try-form input, #try-form select')].map(f => f.getBoundingClientRect());
              const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
              return spans.filter(([, r]) => fields.some(f => hit(r, f))).map(([t]) => t); })()
            """);
        Assert.Empty(overlaps);
        // The full table is one click away, every column in it.
        await page.ClickAsync("#layout");
        Assert.True(await page.EvaluateExpressionAsync<bool>("getComputedStyle(document.querySelector('td.cell')).display !== 'none'"));
        await page.ClickAsync("#layout");
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "screenshots"));
        await page.ScreenshotAsync(Path.Combine(RepoPaths.Root, "artifacts", "screenshots", "rules.png"), new PuppeteerSharp.ScreenshotOptions { FullPage = true });
    }

    private Task<string> RenderAsync(string path) => HeadlessChromium.DumpDomAsync(BaseUrl + path);

    [GeneratedRegex("<tr data-rule=\"([^\"]+)\"")]
    private static partial Regex RuleRow();
}
