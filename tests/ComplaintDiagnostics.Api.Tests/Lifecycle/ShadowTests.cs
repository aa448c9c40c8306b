using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ComplaintDiagnostics.Api.Tests.Lifecycle;

/// <summary>
/// A proposal in shadow at 100%: every live diagnosis is also answered by the proposal after the live answer went out,
/// recorded as a shadow decision linked to the live one; the customer's answer never changes; the report counts exactly
/// the answers a direct replay of the same complaints on both rule sets says change.
/// </summary>
public sealed class ShadowTests : IDisposable
{
    private const string OldText = "上网功能已暂停";
    private const string NewText = "上网功能已暂停（已通知计费部门核实）";
    private readonly ReleaseModeService _release = new();

    public void Dispose() => _release.Dispose();

    [Fact]
    public async Task AProposalInShadowAtAHundredPercentRecordsOneShadowDecisionPerLiveOneAndItsReportCountsWhatChanges()
    {
        var client = _release.Service.CreateClient();
        var replies = File.ReadAllText(Path.Combine(_release.Repo.Rules, "replies.json")).Replace(OldText, NewText, StringComparison.Ordinal);
        var id = (await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/proposals", ReleaseLifecycleTests.Alice,
            ReleaseLifecycleTests.Body("Arrears reply names the billing check", "replies.json", replies), HttpStatusCode.Created)).GetProperty("id").GetString()!;
        var until = ServiceFactory.Now.AddHours(2).ToString("O");
        await ReleaseLifecycleTests.Json(client, HttpMethod.Post, $"/api/v1/proposals/{id}/shadow", ReleaseLifecycleTests.Alice,
            $$"""{"percent":100,"until":"{{until}}"}""");

        string[] complaints =
        [
            .. Enumerable.Range(1, 4).Select(i => Complaint.Data($"inArrears=true; ticketId=\"S{i}\"")),
            .. Enumerable.Range(5, 3).Select(i => Complaint.Data($"dataFeatureEnabled=false; ticketId=\"S{i}\"")),
            .. Enumerable.Range(8, 3).Select(i => Complaint.Voice($"ticketId=\"S{i}\"")),
        ];
        foreach (var complaint in complaints)
        {
            // The customer hears the live rules, never the proposal's.
            Assert.DoesNotContain(NewText, (await client.DiagnoseAsync(complaint)).Reply.Text, StringComparison.Ordinal);
        }

        JsonElement shadows = default;
        await HttpClientExtensions.Eventually(async () =>
        {
            shadows = (await client.GetJsonAsync("/api/v1/decisions?mode=shadow&limit=100")).GetProperty("items");
            return shadows.GetArrayLength() >= complaints.Length;
        }, TimeSpan.FromSeconds(30), "a shadow decision per live one");
        Assert.Equal(complaints.Length, shadows.GetArrayLength());
        foreach (var shadow in shadows.EnumerateArray())
        {
            Assert.Equal(id, shadow.GetProperty("proposal").GetString());
            var live = await client.GetJsonAsync($"/api/v1/decisions/{shadow.GetProperty("shadowOf").GetString()}");
            Assert.Equal("live", live.GetProperty("mode").GetString());
            Assert.Equal(live.GetProperty("ticketId").GetString(), shadow.GetProperty("ticketId").GetString());
        }

        // Outcomes for three arrears tickets: both rule sets right on them.
        await ReleaseLifecycleTests.Json(client, HttpMethod.Post, "/api/v1/outcomes", null,
            """[{"ticketId":"S1","confirmedCause":"ACCOUNT_ARREARS"},{"ticketId":"S2","confirmedCause":"ACCOUNT_ARREARS"},{"ticketId":"S5","confirmedCause":"TERMINAL_FAULT"}]""");
        var report = await ReleaseLifecycleTests.Json(client, HttpMethod.Get, $"/api/v1/proposals/{id}/shadow", ReleaseLifecycleTests.Bob);

        var expected = await ChangedByDirectReplayAsync(replies, complaints);
        Assert.Equal(4, expected); // The arrears complaints: the only reply the proposal changes.
        Assert.Equal(complaints.Length, report.GetProperty("evaluated").GetInt32());
        Assert.Equal(expected, report.GetProperty("changed").GetProperty("total").GetInt32());
        Assert.Equal(expected, report.GetProperty("changed").GetProperty("byPart").GetProperty("reply").GetInt32());
        Assert.Equal(0, report.GetProperty("changed").GetProperty("byPart").GetProperty("cause").GetInt32());
        Assert.Equal(expected, report.GetProperty("examples").GetArrayLength());
        var onConfirmed = report.GetProperty("onConfirmed");
        Assert.Equal(3, onConfirmed.GetProperty("tickets").GetInt32());
        Assert.Equal(2, onConfirmed.GetProperty("live").GetProperty("confirmed").GetInt32());
        Assert.Equal(2, onConfirmed.GetProperty("proposal").GetProperty("confirmed").GetInt32());
    }

    /// <summary>The same complaints answered by the active rules and by the proposal's, directly: how many answers differ.</summary>
    private async Task<int> ChangedByDirectReplayAsync(string proposedReplies, string[] complaints)
    {
        var live = RuleSources.ReadFolder(_release.Repo.Rules);
        var proposed = new RuleSources(new Dictionary<string, string>(live.Files) { ["replies.json"] = proposedReplies });
        var clock = new FakeTimeProvider(ServiceFactory.Now);
        var before = (await RuleSetCompiler.CompileAsync(live, clock.GetUtcNow())).RuleSet!;
        var after = (await RuleSetCompiler.CompileAsync(proposed, clock.GetUtcNow())).RuleSet!;
        var diagnoser = new Diagnoser(clock);
        var changed = 0;
        foreach (var complaint in complaints)
        {
            var request = JsonSerializer.Deserialize<DiagnoseRequest>(complaint, ContractJson.Options)!;
            var a = await diagnoser.DiagnoseAsync(before, request, ["zh-CN"]);
            var b = await diagnoser.DiagnoseAsync(after, request, ["zh-CN"]);
            changed += a.Reply == b.Reply && a.Cause == b.Cause && a.Route == b.Route ? 0 : 1;
        }
        return changed;
    }
}
