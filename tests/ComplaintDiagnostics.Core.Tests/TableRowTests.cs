using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// Decision-table rows (<c>When</c>, <c>MustState</c>, <c>AskFor</c>): each kind of test matches what it says on the
/// real engine, and every way of writing a row wrong is refused at its own line with the allowed columns or values.
/// The rows stand in the fixture's <c>Main</c> workflow, in front of its fallback.
/// </summary>
public sealed class TableRowTests
{
    private const string Main = "workflows/main.json";

    private static readonly IReadOnlyDictionary<string, string> Fixture =
        RuleSources.ReadFolder(Testing.RepoPaths.EngineFixture).Files;

    /// <summary>A rule set whose Main workflow is <paramref name="row"/> (the properties of a rule object, without
    /// RuleName) before the fallback; the row answers cause FIRST unless it says otherwise.</summary>
    private static (RuleSetBuild Build, string Text) Compile(string row, string workflow = "Main")
    {
        var properties = row.Contains("\"Properties\"", StringComparison.Ordinal) ? "" : ",\n      \"Properties\": { \"cause\": \"FIRST\", \"route\": \"frontDesk\", \"reply\": \"first\" }";
        var text = $$"""
            {
              "WorkflowName": "{{workflow}}",
              "Rules": [
                {
                  "RuleName": "T1_Row",
                  {{row}}{{properties}}
                },
                { "RuleName": "T9_Fallback", "When": {}, "Properties": { "cause": "FALLBACK", "route": "noc", "reply": "fallback" } }
              ]
            }
            """;
        var files = new Dictionary<string, string>(Fixture) { [Main] = text };
        return (RuleSetCompiler.CompileAsync(new RuleSources(files), DateTimeOffset.UnixEpoch).GetAwaiter().GetResult(), text);
    }

    private static Task<DiagnoseResponse> Diagnose(RuleSet rules, string request) =>
        new Diagnoser(TimeProvider.System).DiagnoseAsync(rules,
            JsonSerializer.Deserialize<DiagnoseRequest>($$"""{ "complaintType": "data", {{request}} }""", ContractJson.Options)!, []);

    public static TheoryData<string, string, bool> Matches() => new()
    {
        { """ "inArrears": true """, """ "inArrears": true """, true },
        { """ "inArrears": true """, """ "inArrears": false """, false },
        { """ "inArrears": true """, """ "billing": "ocs" """, false },
        { """ "inArrears": null """, """ "billing": "ocs" """, true },
        { """ "inArrears": null """, """ "inArrears": false """, false },
        { """ "inArrears": { "known": true } """, """ "inArrears": false """, true },
        { """ "customer.tier": [ "groupLocal", "groupProvincial" ] """, """ "customer": { "tier": "groupProvincial" } """, true },
        { """ "customer.tier": [ "groupLocal", "groupProvincial" ] """, """ "customer": { "tier": "public" } """, false },
        { """ "customer.tier": [ "groupLocal", "groupProvincial" ] """, """ "billing": "ocs" """, false },
        { """ "customer.tier": [ null, "public" ] """, """ "billing": "ocs" """, true },
        { """ "customer.tier": [ null, "public" ] """, """ "customer": { "tier": "public" } """, true },
        { """ "customer.tier": [ null, "public" ] """, """ "customer": { "tier": "groupLocal" } """, false },
        { """ "source": { "known": true, "not": "hotline10019" } """, """ "source": "store" """, true },
        { """ "source": { "known": true, "not": "hotline10019" } """, """ "source": "hotline10019" """, false },
        { """ "source": { "known": true, "not": "hotline10019" } """, """ "billing": "ocs" """, false },
        { """ "source": { "not": [ "store", "hotline10010" ] } """, """ "billing": "ocs" """, true },
        { """ "source": { "not": [ "store", "hotline10010" ] } """, """ "source": "store" """, false },
        { """ "location.signalBars": { ">=": 1, "<": 3 } """, """ "location": { "signalBars": 2 } """, true },
        { """ "location.signalBars": { ">=": 1, "<": 3 } """, """ "location": { "signalBars": 3 } """, false },
        { """ "location.signalBars": { ">=": 1, "<": 3 } """, """ "billing": "ocs" """, false },
        { """ "location.latitude": { ">": 30.5 } """, """ "location": { "latitude": 31 } """, true },
        { """ "location.latitude": { "<=": 30.5 } """, """ "location": { "latitude": 31.25 } """, false },
        { """ "terminal.generation": "5G" """, """ "terminal": { "generation": "5G" } """, true },
        { """ "terminal.generation": "5G" """, """ "terminal": { "generation": "4G" } """, false },
        { """ "networkType": [ "LTE", "NR" ] """, """ "networkType": "nr" """, true },
        { """ "terminal.brand": "Hua\"wei \\ 5G" """, """ "terminal": { "brand": "Hua\"wei \\ 5G" } """, true },
        { """ "terminal.brand": "Hua\"wei \\ 5G" """, """ "terminal": { "brand": "Huawei" } """, false },
        { """ "inArrears": true, "billing": "ocs" """, """ "inArrears": true, "billing": "ocs" """, true },
        { """ "inArrears": true, "billing": "ocs" """, """ "inArrears": true, "billing": "postpaid" """, false },
        { "", """ "billing": "ocs" """, true },
    };

    [Theory]
    [MemberData(nameof(Matches))]
    public async Task EachTestMatchesWhatItSays(string cells, string request, bool matches)
    {
        var (build, _) = Compile($$""" "When": { {{cells}} } """);
        Assert.True(build.Accepted, string.Join("\n", build.Problems));

        var answer = await Diagnose(build.RuleSet!, request);

        Assert.Equal(matches ? "T1_Row" : "T9_Fallback", answer.Trace.MatchedRule);
    }

    [Fact]
    public async Task MustStateMatchesWhenAnyIsUnknownAndListsThoseInItsOrder()
    {
        var (build, _) = Compile("""
            "MustState": [ "billing", "frontDeskChecks.restarted", "inArrears" ],
            "Properties": { "status": "needsInfo", "cause": "WORK_ORDER_INCOMPLETE", "route": "frontDesk", "reply": "needs" }
            """);
        Assert.True(build.Accepted, string.Join("\n", build.Problems));

        var missing = await Diagnose(build.RuleSet!, """ "inArrears": false """);
        var complete = await Diagnose(build.RuleSet!, """ "inArrears": false, "billing": "ocs", "frontDeskChecks": { "restarted": true } """);

        Assert.Equal(DiagnosisStatus.NeedsInfo, missing.Status);
        Assert.Equal(["billing", "frontDeskChecks.restarted"], missing.MissingFields);
        Assert.Equal("T9_Fallback", complete.Trace.MatchedRule);
        Assert.Empty(complete.MissingFields);
    }

    [Fact]
    public async Task AskForReportsItsFieldsWhenItsConditionHolds()
    {
        var (build, _) = Compile("""
            "When": { "customer.tier": [ null, "public" ] },
            "AskFor": [ "customer.tier" ],
            "Properties": { "status": "needsInfo", "cause": "WORK_ORDER_INCOMPLETE", "route": "frontDesk", "reply": "needs" }
            """);
        Assert.True(build.Accepted, string.Join("\n", build.Problems));

        var stated = await Diagnose(build.RuleSet!, """ "customer": { "tier": "public" } """);

        Assert.Equal(["customer.tier"], stated.MissingFields);
        Assert.Equal("T1_Row", stated.Trace.MatchedRule);
    }

    [Fact]
    public void TheLoadedRuleKeepsItsCellsAsWrittenAndTheExpressionItCompiledTo()
    {
        var (build, _) = Compile(""" "When": { "customer.tier": [ "groupLocal", "groupProvincial" ], "source": { "known": true, "not": "hotline10019" }, "location.signalBars": { "<": 2 } } """);

        var rule = build.RuleSet!.Workflows.Single(w => w.Name == "Main").Rules[0];

        Assert.Equal(
            [new("customer.tier", "groupLocal or groupProvincial"), new("source", "known, not hotline10019"), new("location.signalBars", "< 2")],
            rule.Table!.Cells);
        Assert.Equal(
            "(ticket.Customer.Tier == \"GroupLocal\" || ticket.Customer.Tier == \"GroupProvincial\") && ticket.Source != null && ticket.Source != \"Hotline10019\" && ticket.Location.SignalBars < 2",
            rule.Expression);
    }

    public static TheoryData<string, string, string> Refusals() => new()
    {
        // row, the text on the line the problem must point at ("{ rule": the rule's opening brace), words the message must contain
        { """ "When": { "inArrers": true } """, "inArrers", "Did you mean 'inArrears'?" },
        { """ "When": { "billing": "prepaid" } """, "prepaid", "Values: postpaid, ocs" },
        { """ "When": { "networkType": "lte" } """, "lte", "Did you mean 'LTE'?" },
        { """ "When": { "inArrears": "yes" } """, "yes", "takes true or false" },
        { """ "When": { "customer.msisdn": "13800000000" } """, "msisdn", "personal data" },
        { """ "When": { "receivedAt": "2026-01-01" } """, "receivedAt", "write an Expression" },
        { """ "When": { "followUp.closed": true } """, "followUp.closed", "does not see it" },
        { """ "When": { "inArrears": { ">": 1 } } """, "\">\"", "is not a number" },
        { """ "When": { "location.signalBars": { "between": [ 1, 2 ] } } """, "between", "Operators: not, known" },
        { """ "When": { "location.signalBars": { ">": "two" } } """, "\">\"", "takes a number" },
        { """ "When": { "source": [] } """, "source", "matches nothing" },
        { """ "When": { "location.signalBars": 2.5 } """, "2.5", "takes a whole number" },
        { """ "When": { "location.latitude": { ">": 1e400 } } """, "\">\"", "takes a number" },
        { """ "When": { "customer": { "tier": "public" } } """, "customer", "A column is a whole path, e.g. customer." },
        { """ "When": { "source": {} } """, "source", "at least one of" },
        { """ "When": [ "inArrears" ] """, "When", "is an object of column: test" },
        { """ "When": { "inArrears": true }, "Expression": "true" """, "When", "either \"When\"" },
        { """ "MustState": [ "biling" ], "Properties": { "status": "needsInfo", "cause": "WORK_ORDER_INCOMPLETE", "route": "frontDesk", "reply": "needs" } """, "biling", "Did you mean 'billing'?" },
        { """ "MustState": [ "billing" ] """, "MustState", "\"status\": \"needsInfo\"" },
        { """ "When": { "inArrears": true }, "Properties": { "status": "needsInfo", "cause": "WORK_ORDER_INCOMPLETE", "route": "frontDesk", "reply": "needs" } """, "\"T1_Row\"", "\"MustState\"" },
        { """ "Properties": { "cause": "FIRST", "route": "frontDesk", "reply": "first" } """, "{ rule", "a rule needs a condition" },
        // Properties that are not an object are a located problem, not a failed compile.
        { """ "When": { "inArrears": true }, "Properties": [ "needsInfo" ] """, "Properties", "needs \"Properties\"" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void AWrongRowIsRefusedAtItsLineWithWhatIsAllowed(string row, string lineText, string words)
    {
        var (build, text) = Compile(row);

        Assert.False(build.Accepted);
        var problem = Assert.Single(build.Errors);
        Assert.Equal(Main, problem.File);
        Assert.Equal("T1_Row", problem.Rule);
        var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.Contains(lineText == "{ rule" ? "\"T1_Row\"" : lineText, StringComparison.Ordinal)).i + 1;
        Assert.Equal(lineText == "{ rule" ? line - 1 : line, problem.Line);
        Assert.Contains(words, problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APolicyRowTestsTheDiagnosisAndItsCausesAreChecked()
    {
        var files = new Dictionary<string, string>(Fixture);
        files["workflows/urgent.json"] = files["workflows/urgent.json"].Replace(
            "\"Expression\": \"ticket.Customer.SpecialCircumstances == true\"",
            "\"When\": { \"diagnosis.cause\": \"FRIST\", \"diagnosis.status\": \"diagnosed\" }", StringComparison.Ordinal);

        var build = await RuleSetCompiler.CompileAsync(new RuleSources(files), DateTimeOffset.UnixEpoch);

        var problem = Assert.Single(build.Errors);
        Assert.Equal("U1_Special", problem.Rule);
        Assert.Contains("'FRIST' is not a cause in causes.json. Did you mean 'FIRST'?", problem.Message, StringComparison.Ordinal);
    }
}
