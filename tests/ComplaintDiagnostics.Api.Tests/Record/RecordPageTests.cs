using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using PuppeteerSharp;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// The record as pictures (/record) in Chromium, drawn by the bundled charting library from the record's own figures:
/// complaints per day by cause, each row's precision on confirmed causes (a row getting worse stands out), the causes
/// by area, and the located complaints coloured by cause; the hostile-text corpus in a place stays text.
/// </summary>
public sealed class RecordPageTests() : TempRulesService(onLoopback: true)
{
    private static readonly string Hostile = string.Concat(HostileTexts.Corpus.Where(t => !t.Contains('{', StringComparison.Ordinal)));

    [SkippableFact]
    public async Task TheRecordIsDrawnFromItsFiguresAndARowGettingWorseStandsOut()
    {
        // Three weeks ago: alarms at the sports centre, every ticket confirmed as the alarm. This week: alarms at the
        // river, every ticket confirmed as congestion instead: V1's precision this week falls below its month's interval.
        await RecordAsync("OLD", 12, 23.1250, 113.2640, "天河路 体育中心", "NETWORK_ALARM");
        Factory.Time.Advance(TimeSpan.FromDays(20));
        await RecordAsync("NEW", 6, 23.1050, 113.2500, "江南西 " + Hostile[..Math.Min(Hostile.Length, 300)], "NETWORK_KPI_DEGRADED");

        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        await page.GoToAsync(BaseUrl + "/record");
        await page.WaitForFunctionAsync("() => document.body.dataset.loads || document.getElementById('page-error')");
        Assert.Null(await page.QuerySelectorAsync("#page-error"));

        // Drawn by ECharts on canvases, from the overview's counts: 18 complaints by day, by area and on the map.
        Assert.Equal(3, await page.EvaluateExpressionAsync<int>("[...document.querySelectorAll('.chart')].filter(c => c.querySelector('canvas')).length"));
        var totals = await page.EvaluateExpressionAsync<int[]>("""
            ['per-day', 'areas', 'map'].map(id => charts.echarts.getInstanceByDom(document.getElementById(id)).getOption().series
              .flatMap(s => s.data).reduce((n, d) => n + (Array.isArray(d) ? 1 : d), 0))
            """);
        Assert.Equal([18, 18, 18], totals);
        var overview = await Client.GetJsonAsync("/api/v1/decisions/overview?days=30");
        Assert.Equal(2, overview.GetProperty("areas").GetArrayLength());
        Assert.Equal(12, overview.GetProperty("areas")[0].GetProperty("total").GetInt32());

        // The rows: V1 answered all 18, 12 of them confirmed as its cause; this week none were: marked.
        var v1 = "tr[data-rule='VoiceAndCoverage/V1_NetworkAlarm']";
        Assert.Equal(["VoiceAndCoverage", "V1_NetworkAlarm", "18", "18", "66.7%"],
            (await page.EvaluateFunctionAsync<string[]>("s => [...document.querySelector(s).children].map(td => td.textContent)", v1))
                .Where((_, i) => i is 0 or 1 or 3 or 4 or 5));
        Assert.NotNull(await page.QuerySelectorAsync($"{v1}.falling"));

        Assert.DoesNotContain(HostileTexts.Mark, await page.GetContentAsync(), StringComparison.Ordinal);
        Assert.Null(await page.QuerySelectorAsync("img, svg"));
        Directory.CreateDirectory(Path.Combine(RepoPaths.Root, "artifacts", "screenshots"));
        await page.ScreenshotAsync(Path.Combine(RepoPaths.Root, "artifacts", "screenshots", "record.png"), new ScreenshotOptions { FullPage = true });
    }

    private async Task RecordAsync(string prefix, int count, double latitude, double longitude, string place, string confirmed)
    {
        for (var i = 0; i < count; i++)
        {
            var complaint = Complaint.Voice($"ticketId=\"{prefix}-{i}\"; network.activeAlarms=true; location.latitude={latitude + (i * 0.0001)}; "
                + $"location.longitude={longitude}; location.description={JsonSerializer.Serialize(place)}");
            Assert.Equal("NETWORK_ALARM", (await Client.DiagnoseAsync(complaint)).Cause.Code);
        }
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync($"/api/v1/decisions?ticketId={prefix}-{count - 1}")).GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(20), "on record");
        using var outcomes = await Client.PostJsonAsync("/api/v1/outcomes",
            JsonSerializer.Serialize(Enumerable.Range(0, count).Select(i => new { ticketId = $"{prefix}-{i}", confirmedCause = confirmed })));
        Assert.True(outcomes.IsSuccessStatusCode, await outcomes.Content.ReadAsStringAsync());
    }
}
