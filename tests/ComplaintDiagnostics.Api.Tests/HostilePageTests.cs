using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// /rules embeds text the service did not write: reply texts, cause and group labels, rule names and a refused edit's
/// findings. Rendered in Chromium with the hostile corpus in each, every payload reads as text and none runs.
/// </summary>
public sealed class HostilePageTests() : TempRulesService(onLoopback: true)
{
    private static readonly string Payload = string.Concat(HostileTexts.Corpus.Where(t => !t.Contains('{', StringComparison.Ordinal)));

    private static string Json(string text) => JsonSerializer.Serialize(text)[1..^1];

    [SkippableFact]
    public async Task RepliesAndLabelsWithMarkupRenderAsTextOnTheRulesPage()
    {
        HeadlessChromium.SkipUnlessInstalled();
        Rules.Edit("replies.json", "经过核实，该地点的网络运行情况正常，请您再留意观察，如再次出现请随时与我们联系。", Json(Payload));
        Rules.Edit("causes.json", "\"label\": { \"zh-CN\": \"欠费\"", $"\"label\": {{ \"zh-CN\": \"{Json(Payload)}\"");
        Rules.Edit("causes.json", "\"zh-CN\": \"终端欠费、无上网功能或新卡未激活\"", $"\"zh-CN\": \"{Json(Payload)}\"");
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetStringAsync(new Uri("/api/v1/rules", UriKind.Relative))).Contains("script-close", StringComparison.Ordinal),
            HttpClientExtensions.ReloadDeadline, "the edit is served");

        var dom = await HeadlessChromium.DumpDomAsync(BaseUrl + "/rules");

        Assert.DoesNotContain(HostileTexts.Mark, dom, StringComparison.Ordinal);
        Assert.Contains("data-version=", dom, StringComparison.Ordinal); // the page rendered
        Assert.Contains(HostileTexts.AsDomText(HostileTexts.Corpus[0]), dom, StringComparison.Ordinal);
        Assert.Contains(HostileTexts.AsDomText(HostileTexts.Corpus[1]), dom, StringComparison.Ordinal);
    }

    /// <summary>A refused edit's findings quote the file: a misspelt column holding markup is shown as text.</summary>
    [SkippableFact]
    public async Task ARefusedEditQuotingMarkupRendersAsText()
    {
        HeadlessChromium.SkipUnlessInstalled();
        Rules.Edit("workflows/data.json", "\"simActivated\": false", $"\"{Json(HostileTexts.Corpus[0])}\": false");
        await HttpClientExtensions.Eventually(async () =>
            (await Client.GetJsonAsync("/api/v1/rules/status")).TryGetProperty("lastRefused", out _), HttpClientExtensions.ReloadDeadline, "the edit is refused");

        var dom = await HeadlessChromium.DumpDomAsync(BaseUrl + "/rules");

        Assert.DoesNotContain(HostileTexts.Mark, dom, StringComparison.Ordinal);
        Assert.Contains("id=\"last-refused\"", dom, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;", dom, StringComparison.Ordinal);
    }
}
