using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>POST /api/v1/follow-up on the shipped Escalation workflow (E0–E4): what is overdue for a provincial
/// enterprise's fault (contact 15 min, repair 4 h from 09:00) at various times, and bad requests named by path.</summary>
public sealed class FollowUpTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Complaint = """{"ticketId":"10019-7","receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"groupFault","source":"hotline10019","customer":{"tier":"groupProvincial"}}""";

    private async Task<JsonElement> FollowUp(string now, string progress = "{}", string language = "zh-CN")
    {
        using var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("Accept-Language", language);
        using var response = await client.PostJsonAsync("/api/v1/follow-up", $$"""{"complaint":{{Complaint}},"now":"{{now}}","progress":{{progress}}}""");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    [Theory]
    [InlineData("2026-11-28T09:10:00+08:00", "{}", "", 0, "", "E4_OnTrack")]
    [InlineData("2026-11-28T09:20:00+08:00", "{}", "contactBy", 1, "shiftLeader", "E3_ContactOrVisitOverdue")]
    [InlineData("2026-11-28T09:20:00+08:00", """{"contactedAt":"2026-11-28T09:10:00+08:00"}""", "", 0, "", "E4_OnTrack")]
    [InlineData("2026-11-28T10:00:00+08:00", """{"contactedAt":"2026-11-28T09:10:00+08:00","postponements":2}""", "", 1, "shiftLeader", "E3_ContactOrVisitOverdue")]
    [InlineData("2026-11-28T13:30:00+08:00", """{"contactedAt":"2026-11-28T09:10:00+08:00"}""", "resolveBy", 2, "departmentManager", "E2_ResolveOverdue")]
    [InlineData("2026-11-28T17:30:00+08:00", "{}", "contactBy,resolveBy", 3, "branchLeadership", "E1_ResolveLongOverdue")]
    [InlineData("2026-11-28T18:00:00+08:00", """{"contactedAt":"2026-11-28T09:05:00+08:00","resolvedAt":"2026-11-28T12:00:00+08:00"}""", "", 0, "", "E0_Closed")]
    [InlineData("2026-11-28T18:00:00+08:00", """{"contactedAt":"2026-11-28T09:05:00+08:00","resolvedAt":"2026-11-28T14:00:00+08:00"}""", "resolveBy", 0, "", "E0_Closed")]
    public async Task OverdueDeadlinesAndTheEscalationFollowTheRules(string now, string progress, string overdue, int level, string notify, string rule)
    {
        var answer = await FollowUp(now, progress);

        Assert.Equal(overdue.Split(',', StringSplitOptions.RemoveEmptyEntries), answer.GetProperty("overdue").EnumerateArray().Select(o => o.GetString()));
        var escalation = answer.GetProperty("escalation");
        Assert.Equal(level, escalation.GetProperty("level").GetInt32());
        Assert.Equal(notify.Split(',', StringSplitOptions.RemoveEmptyEntries), escalation.GetProperty("notify").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(rule, escalation.GetProperty("matchedRule").GetString());
        Assert.Equal("2026-11-28T09:15:00+08:00", answer.GetProperty("deadlines").GetProperty("contactBy").GetString());
        Assert.Equal("2026-11-28T13:00:00+08:00", answer.GetProperty("deadlines").GetProperty("resolveBy").GetString());
        Assert.Equal("GROUP_SERVICE_FAULT", answer.GetProperty("cause").GetProperty("code").GetString());
    }

    [Fact]
    public async Task WhomToNotifyCarriesItsLabelInTheReplyLanguage()
    {
        var zh = await FollowUp("2026-11-28T17:30:00+08:00");
        var en = await FollowUp("2026-11-28T17:30:00+08:00", language: "en");

        Assert.Equal("分公司领导", zh.GetProperty("escalation").GetProperty("notifyLabels")[0].GetString());
        Assert.Equal("Branch leadership", en.GetProperty("escalation").GetProperty("notifyLabels")[0].GetString());
    }

    [Theory]
    [InlineData("""{"now":"2026-11-28T09:20:00+08:00"}""", "complaint")]
    [InlineData("""{"complaint":{"complaintType":"groupFault"}}""", "complaint.receivedAt")]
    [InlineData("""{"complaint":{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"data","billing":"prepaid"}}""", "complaint.billing")]
    [InlineData("""{"complaint":{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"voice"},"progress":{"postponements":-1}}""", "progress.postponements")]
    [InlineData("""{"complaint":{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"voice"},"now":"2026-11-28T09:00:00"}""", "now")]
    [InlineData("""{"complaint":{"receivedAt":"9999-12-31T23:59:59+14:00","complaintType":"voice"}}""", "complaint.receivedAt")]
    [InlineData("""{"complaint":{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"voice"},"now":"9999-12-31T23:59:59+14:00"}""", "now")]
    [InlineData("""{"complaint":{"receivedAt":"2026-11-28T09:00:00+08:00","complaintType":"voice"}""", "$")]
    public async Task ABadRequestIsA400NamingTheField(string body, string field)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/follow-up", body);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Theory]
    [InlineData("""{"complaint":5}""", "complaint", "expected an object.")]
    [InlineData("""{"complaint":{"complaintType":"data","inArrears":"yes"}}""", "complaint.inArrears", "expected true or false.")]
    [InlineData("""{"complaint":{"complaintType":"data","location":[]}}""", "complaint.location", "expected an object.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"progress":{"postponements":"two"}}""", "progress.postponements", "expected a whole number.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"progress":true}""", "progress", "expected an object.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"now":"9999-12-31T23:59:59-14:00"}""", "now", "must be a time from 2000-01-01 up to (not including) 2100-01-01, with its offset.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"progress":{"contactedAt":"0001-01-01T00:00:00+08:00"}}""", "progress.contactedAt", "must be a time from 2000-01-01 up to (not including) 2100-01-01, with its offset.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"now":"2026-11-28T25:00:00+08:00"}""", "now", "expected an ISO-8601 timestamp with an offset, e.g. 2026-11-28T09:30:00+08:00.")]
    [InlineData("""{"complaint":{"complaintType":"data"},"now":"2026-11-28T09:00:00+15:00"}""", "now", "expected an ISO-8601 timestamp with an offset, e.g. 2026-11-28T09:30:00+08:00.")]
    public async Task AWrongTypeIsWordedInTheContractsTermsNotDotNets(string body, string field, string message)
    {
        using var client = factory.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/follow-up", body);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request is not a valid follow-up.", problem.GetProperty("title").GetString());
        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
    }

    /// <summary>An impossible timeline answered 200 with its escalation silenced (resolved "after now" read as closed, a
    /// contact before the complaint came in as on time). Each time is refused under its path, past five minutes of clock
    /// difference between systems; within them it is taken as the same moment.</summary>
    [Theory]
    [InlineData("2026-11-28T18:00:00+08:00", """{"resolvedAt":"2026-11-28T19:00:00+08:00"}""", "progress.resolvedAt", "is after now")]
    [InlineData("2026-11-28T18:00:00+08:00", """{"contactedAt":"2026-11-28T08:00:00+08:00"}""", "progress.contactedAt", "is before complaint.receivedAt")]
    [InlineData("2026-11-28T18:00:00+08:00", """{"onSiteAt":"2026-11-29T08:00:00+08:00"}""", "progress.onSiteAt", "is after now")]
    [InlineData("2026-11-28T08:00:00+08:00", "{}", "now", "is before complaint.receivedAt")]
    [InlineData("2026-11-28T00:54:00Z", "{}", "now", "is before complaint.receivedAt")] // another offset, the same instant rule
    [InlineData(null, "{}", "complaint.receivedAt", "is after the service's clock")] // no "now": the clock (09:00+08:00) is before receipt
    public async Task AnImpossibleTimelineIsA400NamingTheTime(string? now, string progress, string field, string words)
    {
        using var client = factory.CreateClient();
        var complaint = now is null ? Complaint.Replace("2026-11-28T09:00:00+08:00", "2026-11-28T10:00:00+08:00", StringComparison.Ordinal) : Complaint;
        var body = now is null ? $$"""{"complaint":{{complaint}},"progress":{{progress}}}""" : $$"""{"complaint":{{complaint}},"now":"{{now}}","progress":{{progress}}}""";
        using var response = await client.PostJsonAsync("/api/v1/follow-up", body);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = problem.GetProperty("errors").GetProperty(field)[0].GetString();
        Assert.Contains(words, message, StringComparison.Ordinal);
        Assert.Contains("(clocks 5 minutes apart are accepted)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-28T18:00:00+08:00", """{"contactedAt":"2026-11-28T08:56:00+08:00","resolvedAt":"2026-11-28T12:00:00+08:00"}""")]
    [InlineData("2026-11-28T12:00:00+08:00", """{"contactedAt":"2026-11-28T09:05:00+08:00","resolvedAt":"2026-11-28T12:04:00+08:00"}""")]
    [InlineData("2026-11-28T08:56:00+08:00", "{}")]
    public async Task ClocksAFewMinutesApartAreTheSameMoment(string now, string progress) =>
        Assert.Equal(JsonValueKind.Object, (await FollowUp(now, progress)).ValueKind);

    [Fact]
    public async Task TheRefitClientAndSwaggerKnowFollowUp()
    {
        using var http = factory.CreateClient();
        var api = ComplaintDiagnostics.Client.ComplaintDiagnosticsClient.Create(http);

        var answer = await api.FollowUpAsync(new FollowUpRequest
        {
            Complaint = JsonSerializer.Deserialize<DiagnoseRequest>(Complaint, ContractJson.Options),
            Now = DateTimeOffset.Parse("2026-11-28T13:30:00+08:00", System.Globalization.CultureInfo.InvariantCulture),
        });
        var swagger = await http.GetJsonAsync("/swagger/v1/swagger.json");

        Assert.Equal(2, answer.Escalation.Level);
        var operation = swagger.GetProperty("paths").GetProperty("/api/v1/follow-up").GetProperty("post");
        Assert.True(operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples").TryGetProperty("overdue", out _));
    }
}
