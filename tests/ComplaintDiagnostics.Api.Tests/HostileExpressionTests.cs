using System.Net;
using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>
/// Every expression of the hostile corpus in place of rule R1's condition (engine fixture), through the three doors a rule edit
/// comes in by: POST /rules/validate (200 with findings), a live reload (refused, counted, the last good rules
/// still serving) and a start on the broken folder (process up, not ready, status explains). The CLI's lint is
/// covered in the CLI tests, the allow-list member by member in the Core tests.
/// </summary>
public sealed class HostileExpressionTests : IDisposable
{
    private const string Main = HostileExpressions.File;
    private readonly ServiceFactory _factory = ServiceFactory.Serving(HostileExpressions.Folder);

    public void Dispose() => _factory.Dispose();

    private static string Broken(string label) => HostileExpressions.Broken(label);

    public static TheoryData<string> Corpus => HostileExpressions.Labels();

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task ValidateAnswers200WithTheRuleNamed(string label)
    {
        using var client = _factory.CreateClient();
        using var response = await client.PostJsonAsync("/api/v1/rules/validate",
            JsonSerializer.Serialize(new { files = new Dictionary<string, string> { [Main] = Broken(label) } }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.False(report.GetProperty("valid").GetBoolean());
        var problem = report.GetProperty("problems").EnumerateArray().Single(p => p.GetProperty("severity").GetString() == "error");
        Assert.Equal(Main, problem.GetProperty("file").GetString());
        Assert.Equal(HostileExpressions.Rule, problem.GetProperty("rule").GetString());
        Assert.DoesNotContain("   at ", problem.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task AStartOnTheBrokenFolderStaysUpNotReadyAndSaysWhy(string label)
    {
        using var rules = new TempRulesFolder(HostileExpressions.Folder);
        File.WriteAllText(rules.File(Main), Broken(label));
        using var service = ServiceFactory.Serving(rules.Path);
        using var client = service.CreateClient();

        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var ready = await client.GetAsync(new Uri("/readyz", UriKind.Relative));
        using var diagnose = await client.PostJsonAsync("/api/v1/diagnose", Complaint.Data("inArrears=true"));
        var status = await client.GetJsonAsync("/api/v1/rules/status");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, diagnose.StatusCode);
        var attempt = status.GetProperty("lastAttempt");
        Assert.False(attempt.GetProperty("accepted").GetBoolean());
        Assert.Contains(attempt.GetProperty("problems").EnumerateArray(), p => p.GetProperty("rule").GetString() == HostileExpressions.Rule);
    }
}

/// <summary>One live service on its own rules folder takes every hostile edit in turn: each is refused with the
/// rule named and counted, and between edits the service keeps answering from the last good rules.</summary>
public sealed class HostileReloadTests() : TempRulesService(HostileExpressions.Folder)
{
    [Fact]
    public async Task EveryHostileEditIsRefusedAndTheLastGoodRulesKeepServing()
    {
        var good = (await Client.DiagnoseAsync(Complaint.Data("inArrears=true"))).RulesVersion;
        var shipped = File.ReadAllText(Rules.File(HostileExpressions.File));
        var refusedBefore = (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("refusedCount").GetInt64();

        foreach (var (label, expression) in HostileExpressions.All)
        {
            File.WriteAllText(Rules.File(HostileExpressions.File), HostileExpressions.InWorkflow(HostileExpressions.File, shipped, expression));
            var version = RuleSources.ReadFolder(Rules.Path).Version;
            await HttpClientExtensions.Eventually(async () =>
                (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("lastAttempt") is var a
                    && a.GetProperty("version").GetString() == version,
                HttpClientExtensions.ReloadDeadline, $"the edit '{label}' is tried");

            var status = await Client.GetJsonAsync("/api/v1/rules/status");
            var attempt = status.GetProperty("lastAttempt");
            Assert.False(attempt.GetProperty("accepted").GetBoolean(), label);
            Assert.Contains(attempt.GetProperty("problems").EnumerateArray(), p => p.GetProperty("rule").GetString() == HostileExpressions.Rule);
            var answer = await Client.DiagnoseAsync(Complaint.Data("inArrears=true"));
            Assert.Equal(good, answer.RulesVersion);
            Assert.Equal("FIRST", answer.Cause.Code);
        }

        var refusedAfter = (await Client.GetJsonAsync("/api/v1/rules/status")).GetProperty("refusedCount").GetInt64();
        Assert.Equal(HostileExpressions.All.Count, refusedAfter - refusedBefore);
    }
}
