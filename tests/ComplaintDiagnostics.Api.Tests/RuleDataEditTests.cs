using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>Domain v2's rows and catalogues are rule data: an edit of a copy of the shipped rules (an escalation
/// threshold, an action label, a row's place) is served without a recompile or a restart.</summary>
public sealed class RuleDataEditTests : TempRulesService
{
    private const string Provincial = """{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"groupFault","source":"hotline10019","customer":{"tier":"groupProvincial"}}""";

    private async Task<int> LevelAfterOnePostponement()
    {
        using var response = await Client.PostJsonAsync("/api/v1/follow-up",
            $$$"""{"complaint":{{{Provincial}}},"now":"2026-11-28T10:00:00+08:00","progress":{"contactedAt":"2026-11-28T09:10:00+08:00","postponements":1}}""");
        var answer = System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(await response.Content.ReadAsStringAsync());
        return answer.GetProperty("escalation").GetProperty("level").GetInt32();
    }

    [Fact]
    public async Task AnEscalationThresholdEditIsServed()
    {
        Assert.Equal(0, await LevelAfterOnePostponement());

        Rules.Edit("workflows/escalation.json", "followUp.Postponements > 1", "followUp.Postponements > 0");

        await HttpClientExtensions.Eventually(async () => await LevelAfterOnePostponement() == 1,
            HttpClientExtensions.ReloadDeadline, "the new threshold is served");
    }

    [Fact]
    public async Task AnActionLabelEditIsServed()
    {
        Rules.Edit("actions.json", "\"feedbackToCustomer\":    { \"zh-CN\": \"向客户反馈处理结果\"", "\"feedbackToCustomer\":    { \"zh-CN\": \"向客户回访反馈\"");

        await HttpClientExtensions.Eventually(async () =>
            (await Client.DiagnoseAsync(Complaint.Data("inArrears=true"))).Actions.Any(a => a.Label == "向客户回访反馈"),
            HttpClientExtensions.ReloadDeadline, "the new label is served");
    }
}
