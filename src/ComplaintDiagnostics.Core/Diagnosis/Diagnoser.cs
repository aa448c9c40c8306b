using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.Compiling;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Diagnosis;

/// <summary>
/// Answers one complaint from one rule set: the diagnosis workflow of its type picks the cause (first
/// matching rule wins), then each policy workflow adds priority, deadlines and actions. Every figure and
/// text comes from the rule set; this class only applies the hit policy and the arithmetic of deadlines.
/// </summary>
public sealed class Diagnoser(TimeProvider time, DiagnosisMetrics? metrics = null)
{
    /// <summary>Evaluates every workflow in its rule-by-rule shape only, never folded (see <c>ServingShape.Folded</c>):
    /// what the folded shape is tested and measured against.</summary>
    internal bool RuleByRule { get; init; }

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
        var (winner, missing) = await HitsAsync(rules, workflow, ticketParameter, evaluated, policyHits, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The diagnosis workflow's winner, what it asks for and the rules evaluated up to it (added to
    /// <paramref name="evaluated"/>), and each policy's winner in manifest order (into <paramref name="policyHits"/>):
    /// in one engine call when the rule set serves the workflow with the policies (<see cref="ServingShape.WithPolicies"/>),
    /// else (or when a rule failed there) the diagnosis, then the policies, each folded first and rule by rule if a rule
    /// failed there.
    /// </summary>
    private async ValueTask<(LoadedRule Winner, string[] Missing)> HitsAsync(
        RuleSet rules, LoadedWorkflow workflow, RuleParameter ticket, List<EvaluatedRule> evaluated, LoadedRule?[] policyHits, CancellationToken cancellationToken)
    {
        var serving = rules.WithPoliciesIndex(workflow);
        if (!RuleByRule && serving >= 0)
        {
            var inputs = ServingShape.WithPoliciesInputs(ticket, workflow, serving, policyHits.Length, out var joined);
            var results = await rules.Engine.ExecuteAllRulesAsync(ServingShape.WithPoliciesWorkflow, inputs, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (FoldedResult.TryReadWithPolicies(rules, workflow, results[0], joined, evaluated, policyHits, out var hit, out var asked))
            {
                return (hit, asked);
            }
            evaluated.Clear();
        }
        var hits = new RuleParameter(ServingShape.HitsParameter, new FirstHits(1 + policyHits.Length));
        // A workflow served with the policies has no folded shape of its own: its run was just evaluated there.
        var (winner, missing) = await DiagnosisHitAsync(rules, workflow, ticket, hits, evaluated, foldedFirst: serving < 0, cancellationToken).ConfigureAwait(false);
        // The compiler refuses a diagnosis workflow without an unconditional last rule, so a winner exists
        // unless that rule itself failed; answer with it all the same rather than fail the request.
        winner ??= workflow.Rules[^1];
        // RulesEngine 6.0.1 looks at the token only before each top-level rule, and a served workflow is one
        // such rule, so the budget is also checked between engine calls: a slow rule set answers "too slow"
        // instead of answering late.
        cancellationToken.ThrowIfCancellationRequested();
        if (policyHits.Length > 0)
        {
            var outcome = winner.Outcome;
            var facts = new RuleParameter(RuleSetCompiler.DiagnosisParameter, new DiagnosisFacts(outcome.Status, outcome.Cause!, outcome.Route!.Value));
            await PolicyHitsAsync(rules, [ticket, facts, hits], policyHits, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return (winner, missing);
    }

    /// <summary>The diagnosis workflow's winner (null only if its last rule failed), what it asks for, and the rules
    /// evaluated up to it, added to <paramref name="evaluated"/>.</summary>
    private async ValueTask<(LoadedRule? Winner, string[] Missing)> DiagnosisHitAsync(
        RuleSet rules, LoadedWorkflow workflow, RuleParameter ticket, RuleParameter hits, List<EvaluatedRule> evaluated, bool foldedFirst, CancellationToken cancellationToken)
    {
        if (!RuleByRule && foldedFirst)
        {
            var folded = await rules.Engine.ExecuteAllRulesAsync(workflow.FoldedName, [ticket, hits], cancellationToken).ConfigureAwait(false);
            if (FoldedResult.TryRead(workflow, folded[0], (FirstHits)hits.Value, slot: 0, evaluated, out var hit, out var missing))
            {
                return (hit, missing);
            }
            evaluated.Clear();
        }
        var results = await rules.Engine.ExecuteAllRulesAsync(workflow.Name, [ticket, hits], cancellationToken).ConfigureAwait(false);
        var (winner, result) = FirstHit(workflow, results[0], metrics, evaluated);
        return (winner, MissingFields(result));
    }

    /// <summary>The rule that applied of each policy, in manifest order, into <paramref name="policyHits"/>: all
    /// policies in one engine call, folded first when they have that shape.</summary>
    private async ValueTask PolicyHitsAsync(RuleSet rules, RuleParameter[] inputs, LoadedRule?[] policyHits, CancellationToken cancellationToken)
    {
        if (!RuleByRule && rules.PoliciesFolded)
        {
            var folded = await rules.Engine.ExecuteAllRulesAsync(ServingShape.FoldedPrefix + RuleSet.PoliciesWorkflow, inputs, cancellationToken).ConfigureAwait(false);
            if (FoldedResult.TryReadPolicies(rules, folded, (FirstHits)inputs[^1].Value, policyHits))
            {
                return;
            }
        }
        var results = await rules.Engine.ExecuteAllRulesAsync(RuleSet.PoliciesWorkflow, inputs, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < policyHits.Length; i++)
        {
            policyHits[i] = FirstHit(rules.Policies[i], results[i], metrics, evaluated: null).Winner;
        }
    }

    /// <summary>
    /// The rule that matched first, in file order; a rule whose expression failed counts as not matched.
    /// The engine ran the workflow as one first-hit rule, so its children are the rules evaluated, in order,
    /// and end at the winner when there is one.
    /// </summary>
    internal static (LoadedRule? Winner, RuleResultTree? Result) FirstHit(
        LoadedWorkflow workflow, RuleResultTree firstHitRule, DiagnosisMetrics? metrics, List<EvaluatedRule>? evaluated)
    {
        var i = 0;
        foreach (var result in firstHitRule.ChildResults ?? [])
        {
            var failed = !string.IsNullOrEmpty(result.ExceptionMessage);
            var matched = result.IsSuccess && !failed;
            if (failed)
            {
                metrics?.RuleFailed(workflow.Name, result.Rule.RuleName);
            }
            evaluated?.Add(new EvaluatedRule(result.Rule.RuleName, matched, failed ? EngineErrors.FailedOnRequest : null));
            if (matched)
            {
                return (workflow.Rules[i], result);
            }
            i++;
        }
        return (null, null);
    }

    internal static string[] MissingFields(RuleResultTree? result) =>
        result?.Inputs is { } inputs && inputs.TryGetValue(RuleSetCompiler.MissingParameter, out var value) && value is string[] paths
            ? paths
            : [];

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
