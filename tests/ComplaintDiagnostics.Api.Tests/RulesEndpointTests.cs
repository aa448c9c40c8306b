using System.Net;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

public sealed class RulesEndpointTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task RulesListsEveryWorkflowWithItsRulesInHitOrder()
    {
        var rules = await _client.GetJsonAsync("/api/v1/rules");

        var workflows = rules.GetProperty("workflows").EnumerateArray().ToDictionary(w => w.GetProperty("name").GetString()!);
        Assert.Equal(
            ["Data", "VoiceAndCoverage", "GroupFault", "Priority", "GroupDeadlines", "VoiceContact", "FieldTest", "Registration", "Feedback", "Escalation"],
            workflows.Keys);
        var data = workflows["Data"].GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        // Domain v3: the front desk's own findings first, then one needs-info row, then the NOC's rows.
        Assert.Equal("D1_AccountInArrears", data[0]);
        Assert.Equal("D0_WorkOrderIncomplete", data[6]);
        Assert.Equal("D11_NetworkInvestigation", data[^1]);
        Assert.Equal(12, data.Count);
        Assert.Equal("VoiceAndCoverage", rules.GetProperty("diagnosis").GetProperty("coverage").GetString());
        Assert.False(string.IsNullOrEmpty(rules.GetProperty("version").GetString()));
    }

    [Fact]
    public async Task StatusReportsTheAcceptedVersionThatAnswersRequests()
    {
        var status = await _client.GetJsonAsync("/api/v1/rules/status");
        var answer = await _client.DiagnoseAsync(Complaint.Data());

        Assert.True(status.GetProperty("lastAttempt").GetProperty("accepted").GetBoolean());
        Assert.Equal(answer.RulesVersion, status.GetProperty("servingVersion").GetString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task HealthEndpointsAreUpWithValidRules(string url)
    {
        using var response = await _client.GetAsync(new Uri(url, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task SwaggerDocumentHasARequestExamplePerComplaintType()
    {
        var doc = await _client.GetJsonAsync("/swagger/v1/swagger.json");

        var examples = doc.GetProperty("paths").GetProperty("/api/v1/diagnose").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
        Assert.Equal(["data", "voice", "voiceNeedsInfo", "coverage", "groupFault"], examples.EnumerateObject().Select(e => e.Name));
        using var ui = await _client.GetAsync(new Uri("/swagger/index.html", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
    }

    [Fact]
    public async Task RuleFileSchemasAreServed()
    {
        var names = await _client.GetJsonAsync("/api/v1/rules/schema");
        using var workflow = await _client.GetAsync(new Uri("/api/v1/rules/schema/workflow.schema.json", UriKind.Relative));
        using var missing = await _client.GetAsync(new Uri("/api/v1/rules/schema/nope.json", UriKind.Relative));

        Assert.Contains("workflow.schema.json", names.EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.OK, workflow.StatusCode);
        Assert.Contains("RuleName", await workflow.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
