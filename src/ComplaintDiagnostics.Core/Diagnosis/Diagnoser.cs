using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Serving;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// Answers one complaint from one rule set: evaluate (the rule set's <see cref="RuleServer"/> finds the diagnosis
/// workflow's winner, first match, and each policy's), combine the outcomes (the earliest deadlines, the most urgent
/// priority, every action), render the answer (reply texts with their deadlines, the trace). Every figure and text
/// comes from the rule set; this class only combines and renders.
/// </summary>
public sealed class Diagnoser(TimeProvider time, DiagnosisMetrics? metrics = null)
{
    /// <summary>Evaluates every workflow in its rule-by-rule shape only, never folded (<see cref="Shape"/>): what the
    /// folded shape is tested and measured against.</summary>
    internal bool RuleByRule { get; init; } = ServingPlan.Measured == "rule-by-rule";

    /// <param name="rules">The rule set to answer from; the caller reads the live reference once.</param>
    /// <param name="request">A request whose <see cref="DiagnoseRequest.ComplaintType"/> is set.</param>
    /// <param name="languages">The caller's preferred reply languages, best first.</param>
    public async Task<DiagnoseResponse> DiagnoseAsync(
        RuleSet rules, DiagnoseRequest request, IEnumerable<string> languages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(request);
        var type = request.ComplaintType ?? throw new ArgumentException("complaintType is required.", nameof(request));
        var receivedAt = request.ReceivedAt ?? time.GetUtcNow();
        var ticketParameter = new RuleParameter(RuleSetCompiler.TicketParameter, new ComplaintTicket(request));

        var workflow = rules.Diagnosis[type];
        using var activity = DiagnosisTelemetry.Source.StartActivity("diagnose");
        var evaluated = new List<EvaluatedRule>(workflow.Rules.Count);
        var policyHits = new LoadedRule?[rules.Policies.Count];
        var (winner, missing) = await rules.Server.DiagnoseAsync(workflow, ticketParameter, evaluated, policyHits, metrics,
            RuleByRule ? Shape.RuleByRule : Shape.Folded, cancellationToken).ConfigureAwait(false);
        var outcome = winner.Outcome;

        var deadlines = outcome.Deadlines;
        var priority = outcome.Priority;
        var actions = new List<ActionSpec>(outcome.Actions);
        var policyTraces = new List<PolicyTrace>(rules.Policies.Count);
        for (var i = 0; i < rules.Policies.Count; i++)
        {
            // The trace lists the diagnosis workflow's rules; of a policy it keeps only the rule that applied.
            var hit = policyHits[i];
            policyTraces.Add(new PolicyTrace(rules.Policies[i].Name, hit?.Name));
            if (hit is null)
            {
                continue;
            }
            deadlines = deadlines.Earliest(hit.Outcome.Deadlines);
            // The most urgent priority any rule gives wins.
            priority = hit.Outcome.Priority is { } p && (priority is null || p > priority) ? p : priority;
            actions.AddRange(hit.Outcome.Actions);
        }

        var language = rules.ChooseLanguage(languages);
        metrics?.Diagnosed(outcome.Cause!, ContractJson.WireName(outcome.Status));
        if (activity is not null)
        {
            // What decided the answer; never a value from the complaint.
            activity.SetTag("complaintdiagnostics.rules_version", rules.Version);
            activity.SetTag("complaintdiagnostics.workflow", workflow.Name);
            activity.SetTag("complaintdiagnostics.matched_rule", winner.Name);
            activity.SetTag("complaintdiagnostics.cause", outcome.Cause);
            activity.SetTag("complaintdiagnostics.status", ContractJson.WireName(outcome.Status));
        }
        var cause = rules.Causes[outcome.Cause!];
        var answerDeadlines = new Deadlines
        {
            ContactBy = deadlines.At(DeadlineKind.ContactBy, receivedAt),
            OnSiteBy = deadlines.At(DeadlineKind.OnSiteBy, receivedAt),
            ResolveBy = deadlines.At(DeadlineKind.ResolveBy, receivedAt),
        };
        var customerText = ReplyText.Render(RuleSet.TextIn(rules.Replies[outcome.Reply!], language), answerDeadlines, receivedAt, language, rules.AsSoonAsPossible);
        var workOrderText = rules.WorkOrderReplies.TryGetValue(outcome.Reply!, out var workOrder)
            ? ReplyText.Render(RuleSet.TextIn(workOrder, language), answerDeadlines, receivedAt, language, rules.AsSoonAsPossible)
            : null;
        return new DiagnoseResponse
        {
            TicketId = request.TicketId,
            Status = outcome.Status,
            Cause = new Cause(cause.Code, cause.Group, RuleSet.TextIn(cause.Labels, language)),
            MissingFields = outcome.Status == DiagnosisStatus.NeedsInfo ? missing : [],
            Reply = new Reply(outcome.Reply!, customerText, language, workOrderText),
            Route = outcome.Route!.Value,
            Actions = ResolveActions(actions, deadlines, receivedAt, rules.Actions, language),
            Deadlines = answerDeadlines,
            Priority = priority ?? Priority.Normal,
            Trace = new Trace(workflow.Name, winner.Name, evaluated, policyTraces, winner.Table?.ByColumn),
            RulesVersion = rules.Version,
        };
    }

    private static List<ActionItem> ResolveActions(
        List<ActionSpec> actions, DeadlineMinutes deadlines, DateTimeOffset receivedAt,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> labels, string language)
    {
        // One entry per code, due at the earliest time any rule asked for it.
        var items = new List<ActionItem>(actions.Count);
        foreach (var action in actions)
        {
            var dueBy = action.Due is { } kind ? deadlines.At(kind, receivedAt)
                : action.DueInMinutes is { } minutes ? receivedAt.AddMinutes(minutes)
                : (DateTimeOffset?)null;
            var index = items.FindIndex(i => i.Code == action.Code);
            if (index < 0)
            {
                items.Add(new ActionItem(action.Code, dueBy, labels.TryGetValue(action.Code, out var label) ? RuleSet.TextIn(label, language) : null));
            }
            else if (dueBy is not null && (items[index].DueBy is null || dueBy < items[index].DueBy))
            {
                items[index] = items[index] with { DueBy = dueBy };
            }
        }
        return items;
    }
}
