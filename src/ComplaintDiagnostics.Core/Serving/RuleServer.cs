using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Diagnosis;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Serving;

/// <summary>How a complaint is evaluated: folded first, falling back to rule by rule where a row throws (the service),
/// or rule by rule only (what the folded shape is tested and measured against).</summary>
internal enum Shape { Folded, RuleByRule }

/// <summary>What the diagnosis workflow decided: its winning rule, and what a needs-info winner asks for.</summary>
internal readonly record struct DiagnosisHit(LoadedRule Winner, string[] Missing);

/// <summary>
/// The one seam between a rule set and RulesEngine: built once per rule set from its <see cref="ServingPlan"/>, it holds
/// the engine and is the only code that calls it or knows its shapes and reserved names. A diagnosis asks it for the
/// winners (<see cref="DiagnoseAsync"/>), a follow-up for the escalation (<see cref="EscalateAsync"/>), the compiler for
/// the workflows as written (validation) and for the warm-up, which goes through the same evaluation as a request.
/// </summary>
internal sealed class RuleServer
{
    /// <summary>The <see cref="EngineShapes.HitsParameter"/> input of the calls that fold nothing (validation, the
    /// escalation): every call of a rule set's engine takes the same inputs, so that RulesEngine, which caches a compiled
    /// expression by its text and its inputs, compiles a row once for all the shapes it appears in.</summary>
    public static readonly RuleParameter NoHits = new(EngineShapes.HitsParameter, new FirstHits(0));

    private RuleServer(RulesEngine.RulesEngine engine, ServingPlan plan)
    {
        Engine = engine;
        Plan = plan;
    }

    /// <summary>The engine holding every shape of <paramref name="plan"/>'s workflows.</summary>
    /// <exception cref="Exception">RulesEngine's own validation of the workflows failed (the caller words it).</exception>
    public static RuleServer Build(List<Workflow> asWritten, ServingPlan plan) =>
        new(new RulesEngine.RulesEngine([.. EngineShapes.All(asWritten, plan)], Rules.EngineSettings.Create()), plan);

    public ServingPlan Plan { get; }

    /// <summary>The engine itself, for tests of its behaviour; everything else goes through the methods below.</summary>
    internal RulesEngine.RulesEngine Engine { get; }

    /// <summary>
    /// The diagnosis workflow's winner and what it asks for, the rules evaluated up to it (into <paramref name="evaluated"/>),
    /// and each policy's winner in manifest order (into <paramref name="policyHits"/>): the diagnosis, then the policies
    /// reading its outcome, each folded first and rule by rule where a row threw.
    /// </summary>
    public async ValueTask<DiagnosisHit> DiagnoseAsync(
        LoadedWorkflow workflow, RuleParameter ticket, List<EvaluatedRule> evaluated, LoadedRule?[] policyHits, DiagnosisMetrics? metrics,
        Shape shape, CancellationToken cancellationToken)
    {
        var hits = new FirstHits(1 + Plan.Policies.Count);
        var hitsParameter = new RuleParameter(EngineShapes.HitsParameter, hits);
        LoadedRule? winner = null;
        string[] missing = [];
        var read = false;
        if (shape == Shape.Folded)
        {
            var folded = await Engine.ExecuteAllRulesAsync(Plan.FoldedNameOf(workflow), [ticket, hitsParameter], cancellationToken).ConfigureAwait(false);
            read = FoldedResult.TryRead(Plan.PartsOf(workflow), workflow, folded[0], hits, slot: 0, evaluated, out winner, out missing);
            if (!read)
            {
                evaluated.Clear();
            }
        }
        if (!read)
        {
            var results = await Engine.ExecuteAllRulesAsync(workflow.Name, [ticket, hitsParameter], cancellationToken).ConfigureAwait(false);
            (winner, var result) = FirstHit(workflow, results[0], metrics, evaluated);
            missing = MissingFields(result);
        }
        // The compiler refuses a diagnosis workflow without an unconditional last rule, so a winner exists unless that
        // rule itself failed; answer with it all the same rather than fail the request.
        winner ??= workflow.Rules[^1];
        // RulesEngine 6.0.1 looks at the token only before each top-level rule, and a served workflow is one such rule,
        // so the budget is also checked between engine calls: a slow rule set answers "too slow" instead of late.
        cancellationToken.ThrowIfCancellationRequested();
        if (policyHits.Length > 0)
        {
            var outcome = winner.Outcome;
            var facts = new RuleParameter(RuleSetCompiler.DiagnosisParameter, new DiagnosisFacts(outcome.Status, outcome.Cause!, outcome.Route!.Value));
            await PoliciesAsync([ticket, facts, hitsParameter], hits, policyHits, metrics, shape, cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        return new DiagnosisHit(winner, missing);
    }

    private async ValueTask PoliciesAsync(
        RuleParameter[] inputs, FirstHits hits, LoadedRule?[] policyHits, DiagnosisMetrics? metrics, Shape shape, CancellationToken cancellationToken)
    {
        if (shape == Shape.Folded)
        {
            var folded = await Engine.ExecuteAllRulesAsync(EngineShapes.FoldedPolicies, inputs, cancellationToken).ConfigureAwait(false);
            if (FoldedResult.TryReadPolicies(Plan, folded, hits, policyHits))
            {
                return;
            }
        }
        var results = await Engine.ExecuteAllRulesAsync(EngineShapes.PoliciesWorkflow, inputs, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < policyHits.Length; i++)
        {
            policyHits[i] = FirstHit(Plan.Policies[i], results[i], metrics, evaluated: null).Winner;
        }
    }

    /// <summary>The escalation workflow's winner for a ticket in progress (rule by rule, first hit), or null when the
    /// rule set has none or no rule matched.</summary>
    public async ValueTask<LoadedRule?> EscalateAsync(RuleParameter ticket, DiagnosisFacts diagnosis, FollowUpFacts followUp, CancellationToken cancellationToken)
    {
        if (Plan.Escalation is not { } workflow)
        {
            return null;
        }
        RuleParameter[] inputs =
        [
            ticket, new(RuleSetCompiler.DiagnosisParameter, diagnosis), new(RuleSetCompiler.FollowUpParameter, followUp), NoHits,
        ];
        var results = await Engine.ExecuteAllRulesAsync(workflow.Name, inputs, cancellationToken).ConfigureAwait(false);
        return FirstHit(workflow, results[0], metrics: null, evaluated: null).Winner;
    }

    /// <summary>Every rule of <paramref name="workflow"/> as written, each reporting its own result (load-time validation).</summary>
    public ValueTask<List<RuleResultTree>> RunAsWrittenAsync(LoadedWorkflow workflow, RuleParameter[] inputs, CancellationToken cancellationToken) =>
        Engine.ExecuteAllRulesAsync(EngineShapes.AsWrittenPrefix + workflow.Name, inputs, cancellationToken);

    /// <summary>One rule of <paramref name="workflow"/> as written, on its own: to name the rule at fault when a run throws.</summary>
    public async Task RunAsWrittenAsync(LoadedWorkflow workflow, LoadedRule rule, RuleParameter[] inputs) =>
        await Engine.ExecuteActionWorkflowAsync(EngineShapes.AsWrittenPrefix + workflow.Name, rule.Name, inputs).ConfigureAwait(false);

    /// <summary>RulesEngine compiles a workflow on its first run: <paramref name="sample"/> goes through every diagnosis
    /// workflow in both shapes and through the escalation now, by the very calls a request makes, so that no request meets
    /// a compile and the warm-up cannot drift from what is served.</summary>
    public async Task WarmAsync(ComplaintTicket sample, CancellationToken cancellationToken)
    {
        var ticket = new RuleParameter(RuleSetCompiler.TicketParameter, sample);
        foreach (var workflow in Plan.Diagnosis)
        {
            foreach (var shape in (Shape[])[Shape.Folded, Shape.RuleByRule])
            {
                await DiagnoseAsync(workflow, ticket, [], new LoadedRule?[Plan.Policies.Count], metrics: null, shape, cancellationToken).ConfigureAwait(false);
            }
        }
        await EscalateAsync(ticket, new DiagnosisFacts(DiagnosisStatus.Diagnosed, "WARM_UP", Route.FrontDesk), new FollowUpFacts(), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// The rule that matched first, in file order; a rule whose expression failed counts as not matched (and is counted
    /// in <paramref name="metrics"/>). The engine ran the workflow as one first-hit rule, so its children are the rules
    /// evaluated, in order, and end at the winner when there is one.
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

    /// <summary>What a needs-info rule served on its own asks for: its <c>missing</c> local parameter's value.</summary>
    internal static string[] MissingFields(RuleResultTree? result) =>
        result?.Inputs is { } inputs && inputs.TryGetValue(RuleSetCompiler.MissingParameter, out var value) && value is string[] paths
            ? paths
            : [];
}
