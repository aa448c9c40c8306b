using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using ComplaintDiagnostics.Testing;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Tests;

/// <summary>
/// The service lets RulesEngine stop at the first matching rule (each workflow served as one first-hit rule,
/// the policies in one call). These tests hold it to the plain reading of the files: every rule of each
/// workflow as written evaluated by the engine, and the first that matches wins.
/// </summary>
public sealed class FirstHitEvaluationTests
{
    [Fact]
    public async Task AnswersEqualTheFirstMatchOfEveryRuleEvaluatedAsWritten()
    {
        var rules = (await RuleSetCompiler.CompileAsync(ShippedRules.Sources(), DateTimeOffset.UnixEpoch)).RuleSet!;
        var asWritten = new RulesEngine.RulesEngine(Testing.AsWrittenWorkflows.Read(Testing.RepoPaths.Rules), EngineSettings.Create());
        var diagnoser = new Diagnoser(TimeProvider.System);
        var random = new Random(20261128);
        var causes = new HashSet<string>();

        for (var n = 0; n < 3000; n++)
        {
            var request = RandomComplaints.Next(random);
            var answer = await diagnoser.DiagnoseAsync(rules, request, []);
            var ticket = new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request));

            var all = await asWritten.ExecuteAllRulesAsync(answer.Trace.Workflow, [ticket]);
            var first = all.FindIndex(r => r.IsSuccess);
            Assert.True(first >= 0);
            Assert.Equal(all[first].Rule.RuleName, answer.Trace.MatchedRule);
            // The trace is exactly the rules up to the winner, each with what the full evaluation found.
            Assert.Equal(all.Take(first + 1).Select(r => (r.Rule.RuleName, r.IsSuccess)), answer.Trace.Evaluated.Select(e => (e.Rule, e.Matched)));

            var facts = new DiagnosisFacts(answer.Status, answer.Cause.Code, answer.Route);
            foreach (var policy in answer.Trace.Policies)
            {
                var results = await asWritten.ExecuteAllRulesAsync(policy.Workflow, [ticket, new RuleParameter(RuleSetCompiler.DiagnosisParameter, facts)]);
                Assert.Equal(results.FirstOrDefault(r => r.IsSuccess)?.Rule.RuleName, policy.MatchedRule);
            }
            causes.Add(answer.Cause.Code);
        }

        // The random complaints reach most of the rule set, not one corner of it.
        Assert.True(causes.Count >= 15, $"only {causes.Count} causes reached: {string.Join(", ", causes)}");
    }

    [Fact]
    public async Task EngineStopsEvaluatingAtTheFirstMatch()
    {
        // D8 would throw for this complaint (signalBars = 0) if it were evaluated; D1 matches first.
        var sources = ShippedRules.With("workflows/data.json", "\"When\": { \"network.kpiAbnormal\": true }", "\"Expression\": \"10 / (ticket.Location.SignalBars ?? 1) > 0 && ticket.Network.KpiAbnormal == true\"");
        var rules = (await RuleSetCompiler.CompileAsync(sources, DateTimeOffset.UnixEpoch)).RuleSet!;
        var request = new DiagnoseRequest
        {
            ComplaintType = ComplaintType.Data, Billing = Billing.Postpaid, InArrears = true, DataFeatureEnabled = true,
            Roaming = Roaming.Local, Scope = Scope.AllTimesAllPlaces, Location = new Location { SignalBars = 0 },
        };

        var results = await rules.Server.Engine.ExecuteAllRulesAsync("Data", [new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request))]);

        var served = Assert.Single(results);
        Assert.Equal(["D1_AccountInArrears"], served.ChildResults.Select(r => r.Rule.RuleName));
        Assert.All(served.ChildResults, r => Assert.True(string.IsNullOrEmpty(r.ExceptionMessage)));
    }

    [Theory]
    [InlineData("\"data\": \"Data\"", "\"data\": \"$policies\"", "workflows/data.json", "\"WorkflowName\": \"Data\"", "\"WorkflowName\": \"$policies\"")]
    [InlineData("\"FieldTest\",", "\"$FieldTest\",", "workflows/field-test.json", "\"WorkflowName\": \"FieldTest\"", "\"WorkflowName\": \"$FieldTest\"")]
    public async Task WorkflowNamesStartingWithDollarAreReservedForTheService(string manifestFrom, string manifestTo, string file, string from, string to)
    {
        var edited = ShippedRules.With("ruleset.json", manifestFrom, manifestTo).Files.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Contains(from, edited[file]);
        edited[file] = edited[file].Replace(from, to, StringComparison.Ordinal);

        var build = await RuleSetCompiler.CompileAsync(new RuleSources(edited), DateTimeOffset.UnixEpoch);

        Assert.Null(build.RuleSet);
        Assert.Contains(build.Errors, p => p.File == "ruleset.json" && p.Message.Contains("reserved", StringComparison.Ordinal));
    }
}
