using System.Globalization;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Scenarios;

/// <summary>One scenario's outcome: passed, or each expectation that differs.</summary>
/// <param name="Differences">One line per differing expectation: <c>cause: expected X, got Y</c>.</param>
public sealed record ScenarioResult(string Name, string File, bool Passed, IReadOnlyList<string> Differences, string? MatchedRule);

/// <summary>Runs scenarios against a rule set and compares only what each scenario expects.</summary>
public sealed class ScenarioRunner(Diagnoser diagnoser)
{
    // Follow-up scenarios give their own "now"; the clock is only the default the endpoint has too.
    private readonly FollowUp _followUp = new(diagnoser, TimeProvider.System);

    public async Task<List<ScenarioResult>> RunAsync(RuleSet rules, IEnumerable<Scenario> scenarios, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var results = new List<ScenarioResult>();
        foreach (var scenario in scenarios)
        {
            var answer = await diagnoser.DiagnoseAsync(rules, scenario.Request, [], cancellationToken).ConfigureAwait(false);
            var differences = Compare(scenario.Expect, answer);
            if (scenario.Now is not null || scenario.Progress is not null)
            {
                differences.AddRange(await CompareFollowUpAsync(rules, scenario, cancellationToken).ConfigureAwait(false));
            }
            results.Add(new ScenarioResult(scenario.Name, scenario.File, differences.Count == 0, differences, answer.Trace.MatchedRule));
        }
        return results;
    }

    /// <summary>The expectations that <paramref name="answer"/> does not meet.</summary>
    public static List<string> Compare(ScenarioExpectation expect, DiagnoseResponse answer)
    {
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(answer);
        var differences = new List<string>();
        void Check(string what, string? expected, string? actual) => Differ(differences, what, expected, actual);

        Check("status", expect.Status is { } s ? ContractJson.WireName(s) : null, ContractJson.WireName(answer.Status));
        Check("cause", expect.Cause, answer.Cause.Code);
        Check("route", expect.Route is { } r ? ContractJson.WireName(r) : null, ContractJson.WireName(answer.Route));
        Check("priority", expect.Priority is { } p ? ContractJson.WireName(p) : null, ContractJson.WireName(answer.Priority));
        Check("reply", expect.Reply, answer.Reply.TemplateId);
        Check("replyText", expect.ReplyText, answer.Reply.Text);
        Check("workOrderText", expect.WorkOrderText, answer.Reply.WorkOrderText);
        Check("matchedRule", expect.MatchedRule, answer.Trace.MatchedRule);
        Check("missingFields", List(expect.MissingFields), List(answer.MissingFields));
        Check("actions", List(expect.Actions), List(answer.Actions.Select(a => a.Code).ToList()));
        foreach (var (code, expected) in expect.ActionsDue ?? new Dictionary<string, DateTimeOffset?>())
        {
            if (answer.Actions.FirstOrDefault(a => a.Code == code) is not { } action)
            {
                differences.Add($"actionsDue.{code}: expected the action, got none");
            }
            else if (action.DueBy != expected)
            {
                differences.Add($"actionsDue.{code}: expected {Time(expected)}, got {Time(action.DueBy)}");
            }
        }
        foreach (var (name, expected) in expect.Deadlines ?? new Dictionary<string, DateTimeOffset?>())
        {
            if (name is not ("contactBy" or "onSiteBy" or "resolveBy"))
            {
                differences.Add($"deadlines.{name}: not a deadline (contactBy, onSiteBy, resolveBy)");
                continue;
            }
            var actual = name == "contactBy" ? answer.Deadlines.ContactBy
                : name == "onSiteBy" ? answer.Deadlines.OnSiteBy
                : answer.Deadlines.ResolveBy;
            if (expected != actual)
            {
                differences.Add($"deadlines.{name}: expected {Time(expected)}, got {Time(actual)}");
            }
        }
        return differences;
    }

    /// <summary>A follow-up scenario's expectations (overdue, escalation level, notify) against the follow-up's answer.</summary>
    private async Task<List<string>> CompareFollowUpAsync(RuleSet rules, Scenario scenario, CancellationToken cancellationToken)
    {
        var request = new FollowUpRequest { Complaint = scenario.Request, Now = scenario.Now, Progress = scenario.Progress };
        var errors = FollowUpRequestValidation.Validate(request);
        if (errors.Count > 0)
        {
            return [.. errors.Select(e => $"follow-up {e.Key}: {string.Join(" ", e.Value)}")];
        }
        var answer = await _followUp.AssessAsync(rules, request, [], cancellationToken).ConfigureAwait(false);
        var differences = new List<string>();
        void Check(string what, string? expected, string? actual) => Differ(differences, what, expected, actual);
        Check("overdue", List(scenario.Expect.Overdue), List(answer.Overdue));
        Check("escalationLevel", scenario.Expect.EscalationLevel?.ToString(CultureInfo.InvariantCulture), answer.Escalation.Level.ToString(CultureInfo.InvariantCulture));
        Check("notify", List(scenario.Expect.Notify), List(answer.Escalation.Notify));
        return differences;
    }

    /// <summary>Notes an expectation that was given and not met.</summary>
    private static void Differ(List<string> differences, string what, string? expected, string? actual)
    {
        if (expected is not null && expected != actual)
        {
            differences.Add($"{what}: expected {expected}, got {actual ?? "(none)"}");
        }
    }

    private static string? List(IReadOnlyList<string>? items) => items is null ? null : "[" + string.Join(", ", items) + "]";

    private static string Time(DateTimeOffset? value) =>
        value?.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture) ?? "(none)";
}
