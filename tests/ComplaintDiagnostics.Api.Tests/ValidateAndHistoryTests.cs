using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>POST /api/v1/rules/validate: lint's findings and the scenario results for a proposed edit,
/// which never touches the rules in service.</summary>
public sealed class ValidateEndpointTests(ServiceFactory factory) : IClassFixture<ServiceFactory>
{
    private const string Data = "workflows/data.json";
    private readonly HttpClient _client = factory.CreateClient();

    private static string Shipped(string file) => File.ReadAllText(Path.Combine(RepoPaths.Rules, file));

    private async Task<JsonElement> Validate(Dictionary<string, string?> files)
    {
        using var response = await _client.PostJsonAsync("/api/v1/rules/validate", JsonSerializer.Serialize(new { files }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    private static int LineOf(string text, string needle) =>
        text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(needle, StringComparison.Ordinal)).i + 1;

    [Fact]
    public async Task ShippedRulesAreValidAndTheirScenariosPass()
    {
        var report = await Validate(new() { [Data] = Shipped(Data) });

        Assert.True(report.GetProperty("valid").GetBoolean());
        Assert.True(report.GetProperty("scenariosPassed").GetInt32() >= 30);
        Assert.Equal(0, report.GetProperty("scenariosFailed").GetInt32());
    }

    [Fact]
    public async Task FindingsNameFileLineAndRuleAndTheServiceKeepsItsVersion()
    {
        var before = await _client.DiagnoseAsync(Complaint.Data("inArrears=true"));
        var data = Shipped(Data)
            .Replace("\"simActivated\": false", "\"simActivatd\": false", StringComparison.Ordinal)
            .Replace("\"D5_DeviceSettings\"", "\"D4_RestartNotTried\"", StringComparison.Ordinal)
            .Replace("\"reply\": \"data.usage\"", "\"reply\": \"data.usge\"", StringComparison.Ordinal)
            .Replace("\"network.kpiAbnormal\": true", "\"network.activeAlarms\": true", StringComparison.Ordinal);

        var report = await Validate(new() { [Data] = data });
        var problems = report.GetProperty("problems").EnumerateArray()
            .Select(p => (File: p.GetProperty("file").GetString(), Line: p.GetProperty("line").GetInt32(), Rule: p.GetProperty("rule").GetString()))
            .ToList();

        Assert.False(report.GetProperty("valid").GetBoolean());
        Assert.Contains((Data, LineOf(data, "simActivatd"), "D3_SimNotActivated"), problems);
        Assert.Contains((Data, LineOf(data, "data.usge"), "D9_UsageOrUnderstanding"), problems);
        Assert.Contains(problems, p => p.Rule == "D4_RestartNotTried");
        Assert.Contains(problems, p => p.Rule == "D8_NetworkKpiDegraded");
        var after = await _client.DiagnoseAsync(Complaint.Data("inArrears=true"));
        Assert.Equal(before.RulesVersion, after.RulesVersion);
    }

    [Fact]
    public async Task ProposalThatBreaksAScenarioReportsTheDiff()
    {
        var data = Shipped(Data).Replace(
            "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"frontDesk\"", "\"cause\": \"ACCOUNT_ARREARS\", \"route\": \"noc\"", StringComparison.Ordinal);

        var report = await Validate(new() { [Data] = data });

        Assert.False(report.GetProperty("valid").GetBoolean());
        Assert.Empty(report.GetProperty("problems").EnumerateArray());
        var failed = Assert.Single(report.GetProperty("scenarios").EnumerateArray(), s => !s.GetProperty("passed").GetBoolean());
        Assert.Equal("D1 in arrears", failed.GetProperty("name").GetString());
        Assert.Equal("route: expected frontDesk, got noc", failed.GetProperty("differences")[0].GetString());
    }

    [Fact]
    public async Task ProposedScenarioFilesAreRunToo()
    {
        var scenario = """{ "scenarios": [ { "name": "extra", "request": { "complaintType": "groupFault" }, "expect": { "cause": "GROUP_SERVICE_FAULT" } } ] }""";

        var report = await Validate(new() { ["tests/extra.json"] = scenario });

        Assert.Contains(report.GetProperty("scenarios").EnumerateArray(),
            s => s.GetProperty("name").GetString() == "extra" && !s.GetProperty("passed").GetBoolean());
    }

    [Theory]
    [InlineData("workflow/data.json")]
    [InlineData("workflows/../../etc/passwd.json")]
    [InlineData("workflows\\..\\x.json")]
    [InlineData("workflows/sub/data.json")]
    [InlineData("workflows/.hidden.json")]
    [InlineData("workflows/data.JSON")]
    [InlineData("README.md")]
    [InlineData("schema/workflow.schema.json")]
    [InlineData("test/domain.json")]
    public async Task AFileNoReloadReadsIsA400NamingIt(string name)
    {
        var files = new Dictionary<string, string?> { [name] = "{}", [Data] = Shipped(Data) };

        using var response = await _client.PostJsonAsync("/api/v1/rules/validate", JsonSerializer.Serialize(new { files }));
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The request is not a valid proposed edit.", problem.GetProperty("title").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
        Assert.Equal($"files.{name}", error.Name);
        Assert.StartsWith("not a file the service reads from the rules folder", error.Value[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/workflows/data.json")]
    [InlineData("workflows\\data.json")]
    [InlineData("tests/extra.json")]
    [InlineData("notify.json")]
    public async Task AFileAReloadReadsIsChecked(string name)
    {
        var text = name.StartsWith("tests/", StringComparison.Ordinal) ? """{"scenarios":[]}"""
            : Shipped(ComplaintDiagnostics.Core.Scenarios.ProposalValidator.Normalize(name));

        Assert.True((await Validate(new() { [name] = text })).GetProperty("valid").GetBoolean());
    }

    [Theory]
    [InlineData("""{"files":[]}""", "files", "expected an object")]
    [InlineData("""{"files":{"workflows/data.json":5}}""", "files.workflows/data.json", "expected the file's text as a JSON string")]
    public async Task AProposalOfTheWrongShapeSaysWhatIsExpected(string body, string path, string message)
    {
        using var response = await _client.PostJsonAsync("/api/v1/rules/validate", body);
        var problem = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith(message, problem.GetProperty("errors").GetProperty(path)[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScenarioTheServiceCouldNotRunIsAFileErrorNotAFailedCall()
    {
        // Each once answered 500: the scenario runner handed the complaint to the diagnoser unchecked.
        const string Scenarios = """
            { "scenarios": [
              { "name": "no type", "request": { "billing": "ocs" }, "expect": { "cause": "ACCOUNT_ARREARS" } },
              { "name": "far future", "request": { "complaintType": "data", "receivedAt": "9999-12-31T23:59:59+14:00" }, "expect": {} },
              { "name": "follow-up without receivedAt", "request": { "complaintType": "groupFault" }, "now": "2026-11-28T13:45:00+08:00", "expect": {} },
              { "name": "no request", "request": null, "expect": {} },
              null,
              { "name": "runs", "request": { "complaintType": "groupFault", "customer": { "tier": "groupLocal" } }, "expect": { "cause": "GROUP_SERVICE_FAULT" } }
            ] }
            """;

        var report = await Validate(new() { ["tests/authored.json"] = Scenarios });

        Assert.False(report.GetProperty("valid").GetBoolean());
        var errors = report.GetProperty("scenarioFileErrors").EnumerateArray().Select(e => e.GetString()).ToList();
        string[] expected =
            [
                "tests/authored.json: scenario 'no type': request.complaintType: required; one of: data, voice, coverage, groupFault.",
                "tests/authored.json: scenario 'far future': request.receivedAt: must be a time from 2000-01-01 up to (not including) 2100-01-01, with its offset.",
                "tests/authored.json: scenario 'follow-up without receivedAt': request.receivedAt: required here: every deadline counts from it.",
                "tests/authored.json: scenario 'no request': needs \"request\".",
                "tests/authored.json: scenario #5: must be an object with \"name\", \"request\" and \"expect\".",
            ];
        Assert.All(expected, e => Assert.Contains(e, errors));
        Assert.Contains(report.GetProperty("scenarios").EnumerateArray(),
            s => s.GetProperty("name").GetString() == "runs" && s.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task EmptyProposalIsA400()
    {
        using var response = await _client.PostJsonAsync("/api/v1/rules/validate", "{}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
