using System.Net.Http.Json;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>
/// "Why did this ticket get that reply?": a recorded decision's page in Chromium, after the rules have changed: the
/// table as it stood then with the deciding row marked, and the reproduction through the rules then and now.
/// </summary>
public sealed class DecisionPageTests() : TempRulesService(onLoopback: true)
{
    private const string OldReply = "您的问题已受理，网络优化人员将与您预约并到现场测试处理，处理结果会及时反馈给您。";
    private const string NewReply = "您的问题已受理，网络优化工程师将与您预约上门测试，结果会及时反馈给您。";

    private static readonly string Hostile = string.Concat(HostileTexts.Corpus.Where(t => !t.Contains('{', StringComparison.Ordinal)));

    private async Task<(string DecisionId, string Version)> DecideAsync()
    {
        var body = JsonSerializer.Serialize(new
        {
            ticketId = "PAGE-1", receivedAt = "2026-11-28T08:30:00+08:00", complaintType = "voice", networkType = "LTE", service = "voice",
            timePattern = "longTerm", location = new { description = Hostile[..Math.Min(Hostile.Length, 400)], area = "urban" },
            network = new { activeAlarms = false, kpiAbnormal = false, reproduced = true, similarUnresolvedComplaints = false },
        });
        using var response = await Client.PostJsonAsync("/api/v1/diagnose", body);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, answer.ToString());
        var id = answer.GetProperty("decisionId").GetString()!;
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetAsync(new Uri($"/api/v1/decisions/{id}", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(20), "on record");
        return (id, answer.GetProperty("rulesVersion").GetString()!);
    }

    private async Task ChangeTheReplyAsync(string version)
    {
        Rules.Edit("replies.json", OldReply, NewReply);
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("servingVersion").GetString() != version,
            HttpClientExtensions.ReloadDeadline, "the edited rules in service");
    }

    [Fact]
    public async Task TheTableAsItStoodThenAndTheReproductionShowWhatChanged()
    {
        var (id, version) = await DecideAsync();
        await ChangeTheReplyAsync(version);

        var table = await Client.GetJsonAsync($"/api/v1/decisions/{id}/table");
        Assert.Equal(version, table.GetProperty("rulesVersion").GetString());
        var decided = Assert.Single(table.GetProperty("rows").EnumerateArray(), r => r.GetProperty("decided").GetBoolean());
        Assert.Equal("V5_FieldTestRequired", decided.GetProperty("rule").GetString());

        var reproduction = await Client.GetJsonAsync($"/api/v1/decisions/{id}/reproduce");
        Assert.Equal(["replyText"], reproduction.GetProperty("differences").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(OldReply, reproduction.GetProperty("then").GetProperty("replyText").GetString());
        Assert.Equal(NewReply, reproduction.GetProperty("now").GetProperty("replyText").GetString());
        Assert.Equal(version, reproduction.GetProperty("then").GetProperty("rulesVersion").GetString());
    }

    [SkippableFact]
    public async Task TheDecisionPageRendersInChromiumWithTheDecidingRowMarkedAndTheComplaintAsText()
    {
        var (id, version) = await DecideAsync();
        await ChangeTheReplyAsync(version);
        await using var browser = await ChromiumSession.LaunchAsync();
        await using var page = await browser.NewPageAsync();
        await page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 1280, Height = 900 });

        await page.GoToAsync($"{BaseUrl}/decisions/{id}");
        await page.WaitForSelectorAsync("#decided-row");
        Assert.Contains("V5_FieldTestRequired", await page.EvaluateExpressionAsync<string>("document.getElementById('decided-row').textContent"), StringComparison.Ordinal);
        Assert.Contains(version, await page.EvaluateExpressionAsync<string>("document.getElementById('table-meta').textContent"), StringComparison.Ordinal);
        Assert.Contains(OldReply, await page.EvaluateExpressionAsync<string>("document.getElementById('answer').textContent"), StringComparison.Ordinal);

        await page.ClickAsync("#reproduce");
        await page.WaitForSelectorAsync("#reproduction:not([hidden])");
        var differing = await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#reproduction tr.differs td.part')].map(td => td.textContent)");
        Assert.Equal(["replyText"], differing);
        Assert.Contains(NewReply, await page.EvaluateExpressionAsync<string>("document.getElementById('reproduction').textContent"), StringComparison.Ordinal);

        var dom = await page.GetContentAsync();
        Assert.DoesNotContain(HostileTexts.Mark, dom, StringComparison.Ordinal);
        Assert.Contains(HostileTexts.AsDomText(HostileTexts.Corpus[0]), dom, StringComparison.Ordinal);
        await page.ScreenshotAsync(Path.Combine(Path.GetTempPath(), "decision-page.png"));
    }

    [Fact]
    public async Task AnUnknownOrMalformedIdIsNotFound()
    {
        foreach (var path in new[] { "/api/v1/decisions/01ARZ3NDEKTSV4RRFFQ69G5FAV/table", "/api/v1/decisions/nope/reproduce", "/api/v1/decisions/%3Cscript%3E" })
        {
            using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        }
    }
}
