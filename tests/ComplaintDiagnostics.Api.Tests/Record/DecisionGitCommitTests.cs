using System.Net.Http.Json;
using System.Text.Json;
using ComplaintDiagnostics.Testing;

namespace ComplaintDiagnostics.Api.Tests.Record;

/// <summary>A decision names the Git commit of the rules that answered it when the rules folder is a working tree at
/// that commit, and none for an edit in service that is not committed.</summary>
public sealed class DecisionGitCommitTests : IDisposable
{
    private const string Complaint = """
        {"ticketId":"G-1","receivedAt":"2026-11-28T08:30:00+08:00","complaintType":"voice","networkType":"LTE","service":"voice",
         "timePattern":"longTerm","location":{"description":"Gate 2"},
         "network":{"activeAlarms":false,"kpiAbnormal":false,"reproduced":true,"similarUnresolvedComplaints":false}}
        """;

    private readonly TempGitRepo _repo = new(RepoPaths.Rules);

    public void Dispose() => _repo.Dispose();

    private static async Task<JsonElement> DecideAsync(HttpClient client)
    {
        using var response = await client.PostJsonAsync("/api/v1/diagnose", Complaint);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("decisionId").GetString()!;
        JsonElement decision = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            using var found = await client.GetAsync(new Uri($"/api/v1/decisions/{id}", UriKind.Relative));
            if (!found.IsSuccessStatusCode)
            {
                return false;
            }
            decision = await found.Content.ReadFromJsonAsync<JsonElement>();
            return true;
        }, TimeSpan.FromSeconds(20), "on record");
        return decision;
    }

    [Fact]
    public async Task ADecisionNamesTheCommitOfItsRules()
    {
        var head = _repo.Commit("Rules as shipped");
        await using var service = ServiceFactory.Serving(_repo.Rules);
        using var client = service.CreateClient();

        Assert.Equal(head, (await DecideAsync(client)).GetProperty("gitCommit").GetString());

        // Saved but not committed: the version in service is at no commit.
        _repo.Edit("replies.json", "您的问题已受理，网络优化人员将与您预约并到现场测试处理，处理结果会及时反馈给您。", "您的问题已受理，网络优化人员将与您预约上门测试。");
        var edited = Core.Rules.RuleSources.ReadFolder(_repo.Rules).Version;
        await HttpClientExtensions.Eventually(async () => (await client.DiagnoseAsync(Complaint)).RulesVersion == edited,
            HttpClientExtensions.ReloadDeadline, "the edit in service");
        var uncommitted = await DecideAsync(client);
        Assert.Equal(edited, uncommitted.GetProperty("rulesVersion").GetString());
        Assert.False(uncommitted.TryGetProperty("gitCommit", out var none) && none.ValueKind != JsonValueKind.Null);
    }
}
