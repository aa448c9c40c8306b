using System.Text.Json;
using ComplaintDiagnostics.Api.Tests.Infrastructure;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Scenarios;

namespace ComplaintDiagnostics.Api.Tests;

/// <summary>The scenario files beside the rules (rules/tests/), each case posted through the real
/// pipeline: a rules edit that breaks a scenario fails CI. A scenario states the rules' answer to the complaint as
/// written, as lint and test run it, so the service here keeps no record and looks nothing up in one (the area
/// look-up has its own tests, AreaLookupTests).</summary>
public sealed class RuleScenarioTests(RuleScenarioTests.WithoutRecord service) : IClassFixture<RuleScenarioTests.WithoutRecord>
{
    private static readonly Lazy<Dictionary<string, Scenario>> Scenarios = new(Load);
    private readonly HttpClient _client = service.Factory.CreateClient();

    /// <summary>The shipped rules served with <c>Decisions:Enabled</c> false.</summary>
    public sealed class WithoutRecord : IDisposable
    {
        public ServiceFactory Factory { get; } = ServiceFactory.Serving(RepoPaths.Rules, new Dictionary<string, string> { ["Decisions:Enabled"] = "false" });

        public void Dispose() => Factory.Dispose();
    }

    public static TheoryData<string> Names() => [.. Scenarios.Value.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task ScenarioHolds(string name)
    {
        var scenario = Scenarios.Value[name];

        var answer = await _client.DiagnoseAsync(JsonSerializer.Serialize(scenario.Request, ContractJson.Options));

        Assert.Empty(ScenarioRunner.Compare(scenario.Expect, answer));
    }

    [Fact]
    public void ShippedScenariosCoverEveryDiagnosisRule()
    {
        var rules = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(RepoPaths.Rules, "workflows", "data.json"))
            .Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)).Aggregate((a, b) => a + "\n" + b));
        var covered = Scenarios.Value.Keys.Select(k => k.Split(' ')[0]).ToHashSet();

        foreach (var rule in rules.GetProperty("Rules").EnumerateArray().Select(r => r.GetProperty("RuleName").GetString()!))
        {
            Assert.Contains(rule.Split('_')[0], covered);
        }
        Assert.Contains("V5", covered);
    }

    private static Dictionary<string, Scenario> Load()
    {
        var (scenarios, errors) = ScenarioFiles.Parse(ScenarioFiles.ReadFolder(RepoPaths.Rules));
        Assert.Empty(errors);
        return scenarios.ToDictionary(s => s.Name);
    }
}
