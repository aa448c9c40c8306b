using System.Linq.Expressions;
using ComplaintDiagnostics.Core.Rules;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Serving;

/// <summary>The workflows one rule set's engine holds, by <see cref="ServingPlan"/>: each workflow as written (load-time
/// validation), rule by rule, and folded. The only code that knows the engine's reserved names.</summary>
internal static class EngineShapes
{
    /// <summary>Validation runs each workflow as written under this prefix; '$' starts no name in the files.</summary>
    public const string AsWrittenPrefix = "$as-written:";

    /// <summary>The folded shape of a workflow runs under this prefix.</summary>
    public const string FoldedPrefix = "$folded:";

    /// <summary>The name under which all policies run in one call, rule by rule.</summary>
    public const string PoliciesWorkflow = "$policies";

    /// <summary>The folded policies' workflow.</summary>
    public const string FoldedPolicies = FoldedPrefix + PoliciesWorkflow;

    /// <summary>The input the folded rows write their hit to (<see cref="FirstHits"/>).</summary>
    public const string HitsParameter = "firstHits";

    /// <summary>Every shape of every workflow, for one engine (which caches compiled expressions across them).</summary>
    public static IEnumerable<Workflow> All(List<Workflow> asWritten, ServingPlan plan) =>
    [
        .. asWritten.Select(w => new Workflow { WorkflowName = AsWrittenPrefix + w.WorkflowName, Rules = w.Rules }),
        .. RuleByRule(asWritten, plan),
        .. Folded(asWritten, plan),
    ];

    /// <summary>
    /// The rule-by-rule shape: what a diagnosis falls back to when a row throws in the folded shape, and what the
    /// escalation workflow (follow-up) runs. A workflow becomes one <c>OrElse</c> rule over its rules in file order; with
    /// <see cref="NestedRuleExecutionMode.Performance"/> the engine evaluates them in order and stops at the first that
    /// matches, so the result's children are exactly the rules evaluated (the trace). Each rule keeps its own local
    /// parameters, and one whose expression throws is a rule that did not match. The policies all take the same inputs,
    /// so they are one engine workflow with one such rule per policy, in manifest order.
    /// </summary>
    private static IEnumerable<Workflow> RuleByRule(List<Workflow> asWritten, ServingPlan plan)
    {
        Rule FirstHit(string name) => new()
        {
            RuleName = name,
            Operator = nameof(ExpressionType.OrElse),
            Rules = asWritten.Single(w => w.WorkflowName == name).Rules,
            Enabled = true,
        };
        foreach (var workflow in plan.Escalation is null ? plan.Diagnosis : [.. plan.Diagnosis, plan.Escalation])
        {
            yield return new Workflow { WorkflowName = workflow.Name, Rules = [FirstHit(workflow.Name)] };
        }
        if (plan.Policies.Count > 0)
        {
            yield return new Workflow { WorkflowName = PoliciesWorkflow, Rules = [.. plan.Policies.Select(p => FirstHit(p.Name))] };
        }
    }

    /// <summary>
    /// The shape a diagnosis runs first: each run of folding rows becomes one rule whose expression is the rows'
    /// conditions in file order, each followed by a call that records it, joined by <c>||</c>:
    /// <c>(ticket.InArrears == true) &amp;&amp; firstHits.Hit(0, 1) || (ticket.DataFeatureEnabled == false) &amp;&amp; firstHits.Hit(0, 2) || ...</c>.
    /// The engine stops at the first row that holds, as it stops at the first matching child of the rule-by-rule shape,
    /// so the answer is the same; but RulesEngine builds its per-rule result once per run instead of once per row, which
    /// was most of a diagnosis's cost. Rows that do not fold stay rules of their own between the runs.
    /// </summary>
    private static IEnumerable<Workflow> Folded(List<Workflow> asWritten, ServingPlan plan)
    {
        foreach (var workflow in plan.Diagnosis)
        {
            yield return new Workflow { WorkflowName = plan.FoldedNameOf(workflow), Rules = [FoldedRule(asWritten, plan, workflow, slot: 0)] };
        }
        if (plan.Policies.Count > 0)
        {
            var each = plan.Policies.Select((p, i) => FoldedRule(asWritten, plan, p, slot: 1 + i)).ToList();
            yield return new Workflow { WorkflowName = FoldedPolicies, Rules = plan.PoliciesAsOne ? [AllOf(each)] : each };
        }
    }

    private static Rule AllOf(List<Rule> runs) => new()
    {
        RuleName = PoliciesWorkflow,
        Expression = string.Join(" && ", runs.Select(run => $"(({run.Expression}) || true)")),
        RuleExpressionType = RuleExpressionType.LambdaExpression,
        Enabled = true,
    };

    private static Rule FoldedRule(List<Workflow> asWritten, ServingPlan plan, LoadedWorkflow workflow, int slot)
    {
        var written = asWritten.Single(w => w.WorkflowName == workflow.Name).Rules.ToList();
        var parts = plan.PartsOf(workflow).Select(part => part.Folded ? Run(workflow, part, slot) : written[part.First]).ToList();
        return parts.Count == 1 ? parts[0] : new Rule
        {
            RuleName = workflow.Name,
            Operator = nameof(ExpressionType.OrElse),
            Rules = parts,
            Enabled = true,
        };
    }

    private static Rule Run(LoadedWorkflow workflow, ServedPart part, int slot)
    {
        var rows = workflow.Rules.Skip(part.First).Take(part.Count).Select((rule, k) =>
        {
            var row = part.First + k;
            var fold = rule.Fold!;
            var hit = fold.Missing is null ? $"{HitsParameter}.Hit({slot}, {row})"
                : fold.MissingDecides ? $"{HitsParameter}.Needs({slot}, {row}, {fold.Missing})"
                : $"{HitsParameter}.Ask({slot}, {row}, {fold.Missing})";
            return fold.Tests.Trim() == "true" ? hit : $"({fold.Tests}) && {hit}";
        });
        return new Rule
        {
            RuleName = $"{workflow.Name} rows {part.First + 1}-{part.First + part.Count}",
            Expression = string.Join(" || ", rows),
            RuleExpressionType = RuleExpressionType.LambdaExpression,
            Enabled = true,
        };
    }
}
