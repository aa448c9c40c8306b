using System.Text.Json;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Serving;
using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Testing;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// A diagnosis runs each workflow folded (runs of rows as one expression that records its first hit) and falls
/// back to the rule-by-rule shape when a rule fails. These tests hold the folded answers to the rule-by-rule ones,
/// byte for byte, and check that the folded shape is really the one answering.
/// </summary>
public sealed class FoldedServingTests
{
    [Fact]
    public async Task EveryShippedWorkflowIsServedAsOneFoldedRun()
    {
        var rules = await Compile(ShippedRules.Sources());

        Assert.All(rules.Diagnosis.Values.Concat(rules.Policies), workflow =>
            Assert.Equal([new ServedPart(0, workflow.Rules.Count, Folded: true)], rules.Server.Plan.PartsOf(workflow)));
        Assert.True(rules.Server.Plan.PoliciesAsOne);
    }

    [Fact]
    public async Task ShippedRulesAnswerTheSameFoldedAsRuleByRule()
    {
        var rules = await Compile(ShippedRules.Sources());

        await AssertSameAnswers(rules, complaints: 3000, seed: 20261129);
    }

    [Fact]
    public async Task LongWorkflowsWithRulesOfTheirOwnAnswerTheSameFoldedAsRuleByRule()
    {
        var sources = ShippedRules.Sources().Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        sources["workflows/data.json"] = LongDataWorkflow(rows: 140, seed: 7);
        var rules = await Compile(new RuleSources(sources));

        // Runs of at most 32 folded rows, split by the rules with local parameters, a hand-written condition beside
        // "AskFor" or a long condition, which are served as rules of their own.
        var data = rules.Diagnosis[ComplaintType.Data];
        var parts = rules.Server.Plan.PartsOf(data);
        Assert.Contains(parts, p => !p.Folded && data.Rules[p.First].LocalParams.Count == 0);
        Assert.Contains(parts, p => !p.Folded && data.Rules[p.First].Expression.Length > ServingPlan.MaxFoldedRowLength);
        Assert.Contains(parts, p => p.Folded && p.Count == ServingPlan.MaxFolded);
        Assert.All(parts, p => Assert.True(p.Count <= ServingPlan.MaxFolded));
        Assert.Equal(data.Rules.Count, parts.Sum(p => p.Count));

        var winners = await AssertSameAnswers(rules, complaints: 3000, seed: 11, ComplaintType.Data);
        var names = data.Rules.Select(r => r.Name).ToList();
        Assert.Contains(winners, w => names.IndexOf(w) > 2 * ServingPlan.MaxFolded && w != names[^1]);
    }

    [Fact]
    public async Task RowThatThrowsInAFoldedRunIsAnsweredRuleByRuleWithTheErrorInTheTrace()
    {
        var rules = await Compile(ShippedRules.With("workflows/data.json", "\"When\": { \"network.kpiAbnormal\": true }",
            "\"Expression\": \"10 / (ticket.Location.SignalBars ?? 1) > 0 && ticket.Network.KpiAbnormal == true\""));
        var request = new DiagnoseRequest
        {
            ComplaintType = ComplaintType.Data, ReceivedAt = DateTimeOffset.UnixEpoch, Billing = Billing.Postpaid, InArrears = false,
            DataFeatureEnabled = true, Roaming = Roaming.Local, Scope = Scope.AllTimesAllPlaces, Location = new Location { SignalBars = 0 },
            FrontDeskChecks = new FrontDeskChecks { Restarted = true, SettingsOk = true, TerminalOk = true },
        };

        var folded = await new Diagnoser(TimeProvider.System).DiagnoseAsync(rules, request, []);
        var ruleByRule = await new Diagnoser(TimeProvider.System) { RuleByRule = true }.DiagnoseAsync(rules, request, []);

        Assert.False((await ReadFolded(rules, request)).Read);
        var failed = Assert.Single(folded.Trace.Evaluated, e => e.Error is not null);
        Assert.Equal("D8_NetworkKpiDegraded", failed.Rule);
        Assert.Equal(Json(ruleByRule), Json(folded));
    }

    [Fact]
    public async Task ShippedPoliciesAreServedAsOneRuleAndAPolicyWithARuleOfItsOwnOnePerPolicy()
    {
        Assert.True((await Compile(ShippedRules.Sources())).Server.Plan.PoliciesAsOne);

        // A rule with local parameters stays a rule of its own, so its policy is not one folded run: the policies are
        // then served one rule per policy, and still answer as rule by rule does.
        var rules = await Compile(ShippedRules.With("workflows/field-test.json",
            "\"When\": { \"diagnosis.cause\": \"FIELD_TEST_REQUIRED\", \"location.area\": \"urban\", \"location.indoor\": true }",
            "\"LocalParams\": [ { \"Name\": \"bars\", \"Expression\": \"ticket.Location.SignalBars ?? 5\" } ], "
            + "\"Expression\": \"bars < 3 && diagnosis.Cause == \\\"FIELD_TEST_REQUIRED\\\"\""));
        Assert.False(rules.Server.Plan.PoliciesAsOne);
        await AssertSameAnswers(rules, complaints: 1500, seed: 5);
    }

    [Fact]
    public async Task PolicyRowThatThrowsIsAnsweredRuleByRuleForEveryPolicy()
    {
        var rules = await Compile(ShippedRules.With("workflows/field-test.json",
            "\"When\": { \"diagnosis.cause\": \"FIELD_TEST_REQUIRED\", \"location.area\": \"urban\" }",
            "\"Expression\": \"10 / (ticket.Location.SignalBars ?? 1) > 0 && diagnosis.Cause == \\\"FIELD_TEST_REQUIRED\\\"\""));
        Assert.True(rules.Server.Plan.PoliciesAsOne);
        var request = new DiagnoseRequest
        {
            ComplaintType = ComplaintType.Voice, ReceivedAt = DateTimeOffset.UnixEpoch, Location = new Location { SignalBars = 0 },
        };

        var folded = await new Diagnoser(TimeProvider.System).DiagnoseAsync(rules, request, []);
        var ruleByRule = await new Diagnoser(TimeProvider.System) { RuleByRule = true }.DiagnoseAsync(rules, request, []);

        Assert.False(await ReadFoldedPolicies(rules, request, folded));
        Assert.Equal(Json(ruleByRule), Json(folded));
    }

    [Theory]
    [InlineData("firstHits")]
    [InlineData("FIRSTHITS")]
    [InlineData("ticket")]
    public async Task LocalParameterNamedLikeAnInputIsRefusedAtItsLine(string name)
    {
        var sources = ShippedRules.With("workflows/data.json", "\"When\": { \"inArrears\": true }",
            $"\"LocalParams\": [ {{ \"Name\": \"{name}\", \"Expression\": \"1\" }} ], \"Expression\": \"ticket.InArrears == true\"");

        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);

        Assert.Null(build.RuleSet);
        var problem = Assert.Single(build.Errors);
        Assert.Equal(("workflows/data.json", "D1_AccountInArrears"), (problem.File, problem.Rule));
        Assert.Equal(ShippedRules.LineOf(sources, "workflows/data.json", $"\"Name\": \"{name}\""), problem.Line);
        Assert.Contains($"local parameter '{name}': the name is one of the service's inputs", problem.Message, StringComparison.Ordinal);
    }

    /// <summary>Random complaints answered both ways must serialize identically, and the folded shape must have
    /// answered each one itself (no rule of these fails, so none falls back).</summary>
    private static async Task<HashSet<string>> AssertSameAnswers(RuleSet rules, int complaints, int seed, ComplaintType? only = null)
    {
        var folded = new Diagnoser(TimeProvider.System);
        var ruleByRule = new Diagnoser(TimeProvider.System) { RuleByRule = true };
        var random = new Random(seed);
        var winners = new HashSet<string>();
        for (var n = 0; n < complaints; n++)
        {
            var request = RandomComplaints.Next(random);
            request = request with { ComplaintType = only ?? request.ComplaintType };

            var answer = await folded.DiagnoseAsync(rules, request, ["en"]);

            Assert.Equal(Json(await ruleByRule.DiagnoseAsync(rules, request, ["en"])), Json(answer));
            var (read, winner) = await ReadFolded(rules, request);
            Assert.True(read, $"complaint {n} fell back to rule by rule");
            Assert.Equal(answer.Trace.MatchedRule, winner ?? rules.Diagnosis[request.ComplaintType!.Value].Rules[^1].Name);
            Assert.True(await ReadFoldedPolicies(rules, request, answer), $"complaint {n}: the policies fell back to rule by rule");
            winners.Add(answer.Trace.MatchedRule);
        }
        // The complaints reach many rows, not one corner of the workflows.
        Assert.True(winners.Count >= 15, $"only {winners.Count} rules won: {string.Join(", ", winners)}");
        return winners;
    }

    /// <summary>The diagnosis workflow's folded shape run by the engine, read as the diagnoser reads it.</summary>
    private static async Task<(bool Read, string? Winner)> ReadFolded(RuleSet rules, DiagnoseRequest request)
    {
        var workflow = rules.Diagnosis[request.ComplaintType!.Value];
        var hits = new FirstHits(1 + rules.Policies.Count);
        var results = await rules.Server.Engine.ExecuteAllRulesAsync(rules.Server.Plan.FoldedNameOf(workflow),
            [new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request)), new RuleParameter(EngineShapes.HitsParameter, hits)]);
        var read = FoldedResult.TryRead(rules.Server.Plan.PartsOf(workflow), workflow, Assert.Single(results), hits, slot: 0, evaluated: null, out var winner, out _);
        return (read, winner?.Name);
    }

    /// <summary>The policies' folded shape run by the engine for <paramref name="answer"/>'s diagnosis (one rule for all of
    /// them, or one per policy), read as the diagnoser reads it, and each policy's winner is the one in the answer's trace.</summary>
    private static async Task<bool> ReadFoldedPolicies(RuleSet rules, DiagnoseRequest request, DiagnoseResponse answer)
    {
        var hits = new FirstHits(1 + rules.Policies.Count);
        var results = await rules.Server.Engine.ExecuteAllRulesAsync(EngineShapes.FoldedPolicies,
        [
            new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request)),
            new RuleParameter(RuleSetCompiler.DiagnosisParameter, new DiagnosisFacts(answer.Status, answer.Cause.Code, answer.Route)),
            new RuleParameter(EngineShapes.HitsParameter, hits),
        ]);
        var winners = new LoadedRule?[rules.Policies.Count];
        if (!FoldedResult.TryReadPolicies(rules.Server.Plan, results, hits, winners))
        {
            return false;
        }
        Assert.Equal(answer.Trace.Policies.Select(p => p.MatchedRule), winners.Select(w => w?.Name));
        return true;
    }

    private static async Task<RuleSet> Compile(RuleSources sources)
    {
        var build = await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch);
        return build.RuleSet ?? throw new InvalidOperationException(string.Join("\n", build.Errors));
    }

    private static string Json(DiagnoseResponse answer) => JsonSerializer.Serialize(answer, ContractJson.Options);

    /// <summary>A condition longer than <see cref="ServingPlan.MaxFoldedRowLength"/>: its row is served on its own.</summary>
    private static readonly string LongCondition = "ticket.Network.Reproduced == true && (" + string.Join(" || ",
        Enumerable.Range(0, 20).Select(k => $"ticket.Location.Description == \\\"site {k}\\\"")) + ")";

    /// <summary>A data workflow of <paramref name="rows"/> rows drawn from every kind of rule a NOC engineer writes:
    /// table rows (values, lists, unknown, operators), hand-written expressions with "or", needs-info rows
    /// (<c>MustState</c> beside cells, <c>AskFor</c> beside an expression), rules with local parameters, and
    /// disabled rules; then the fallback.</summary>
    private static string LongDataWorkflow(int rows, int seed)
    {
        const string NeedsInfo = "\"Properties\": { \"status\": \"needsInfo\", \"cause\": \"WORK_ORDER_INCOMPLETE\", \"route\": \"frontDesk\", \"reply\": \"data.needsInfo\" }";
        // Each table row is one of these tests narrowed by two more cells, so that complaints reach every part of
        // the workflow instead of stopping in its first rows.
        string[] tests =
        [
            "\"inArrears\": true",
            "\"network.kpiAbnormal\": true, \"location.indoor\": false",
            "\"customer.tier\": [ \"groupLocal\", \"groupProvincial\" ], \"symptom\": \"slow\"",
            "\"location.signalBars\": { \"<\": 2 }, \"network.reproduced\": true",
            "\"scope\": null, \"simActivated\": false",
            "\"symptom\": { \"not\": \"slow\" }, \"roaming\": \"local\", \"dataFeatureEnabled\": false",
            "\"source\": { \"known\": true, \"not\": \"hotline10019\" }, \"network.activeAlarms\": true",
        ];
        string[] services = ["\"service\": \"web\"", "\"service\": \"video\"", "\"service\": [ \"wechat\", \"other\" ]"];
        string[] others = ["\"location.area\": \"rural\"", "\"billing\": \"ocs\"", "\"timePattern\": \"sinceDate\""];
        string[] expressions =
        [
            "\"Expression\": \"ticket.Billing == \\\"ocs\\\" && (ticket.Scope == \\\"specificService\\\" || (ticket.SpeedThrottled == true && ticket.Symptom == \\\"slow\\\"))\"",
            "\"Expression\": \"ticket.Location.SignalBars != null && ticket.Location.SignalBars >= 4 && ticket.TimePattern == \\\"periodic\\\"\"",
        ];
        (string Cause, string Reply)[] outcomes =
        [
            ("ACCOUNT_ARREARS", "data.arrears"), ("NETWORK_KPI_DEGRADED", "network.degraded"), ("USAGE_UNDERSTANDING", "data.usage"),
            ("NOT_REPRODUCED", "network.normal.keepWatching"), ("SIM_NOT_ACTIVATED", "data.simNotActivated"),
        ];
        var random = new Random(seed);
        var rules = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var outcome = $"\"Properties\": {{ \"cause\": \"{outcomes[i % outcomes.Length].Cause}\", \"route\": \"frontDesk\", \"reply\": \"{outcomes[i % outcomes.Length].Reply}\" }}";
            // Mostly foldable rows, so that runs reach the limit; now and then a rule of its own.
            var body = random.Next(70) switch
            {
                0 => $"\"When\": {{ \"network.activeAlarms\": {(random.Next(2) == 0 ? "true" : "false")} }}, \"MustState\": [ \"location.description\", \"timePattern\" ], {NeedsInfo}",
                1 => $"\"Expression\": \"ticket.Customer.Tier == null && ticket.Network.Reproduced == false\", \"AskFor\": [ \"customer.tier\" ], {NeedsInfo}",
                2 => $"\"LocalParams\": [ {{ \"Name\": \"bars\", \"Expression\": \"ticket.Location.SignalBars ?? 5\" }} ], \"Expression\": \"bars < 2 && ticket.Network.SimilarUnresolvedComplaints == true\", {outcome}",
                3 or 4 => $"{expressions[random.Next(expressions.Length)]}, {outcome}",
                5 => $"\"Expression\": \"{LongCondition}\", {outcome}",
                _ => $"\"When\": {{ {tests[random.Next(tests.Length)]}, {services[random.Next(services.Length)]}, {others[random.Next(others.Length)]} }}, {outcome}",
            };
            var enabled = random.Next(12) == 0 ? ", \"Enabled\": false" : "";
            rules.Add($"{{ \"RuleName\": \"R{i}\", {body}{enabled} }}");
        }
        rules.Add("{ \"RuleName\": \"Fallback\", \"When\": {}, \"Properties\": { \"cause\": \"NETWORK_INVESTIGATION\", \"route\": \"noc\", \"reply\": \"network.investigating\" } }");
        return $"{{ \"WorkflowName\": \"Data\", \"Rules\": [\n{string.Join(",\n", rules)}\n] }}";
    }
}
