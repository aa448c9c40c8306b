using System.Linq.Expressions;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: the workflows as the engine holds them: each as written (for validation), rule by rule, and
/// folded (what a diagnosis runs first).</summary>
internal static class ServingShape
{
    /// <summary>Validation runs each workflow as written under this prefix; '$' starts no name in the files.</summary>
    public const string AsWrittenPrefix = "$as-written:";

    /// <summary>The folded shape of a served workflow runs under this prefix (see <see cref="Folded"/>).</summary>
    public const string FoldedPrefix = "$folded:";

    /// <summary>The diagnosis workflows served together with the policies run under this name (see <see cref="WithPolicies"/>).</summary>
    public const string WithPoliciesWorkflow = "$with-policies";

    /// <summary>The input the folded rows write their hit to (<see cref="Diagnosis.FirstHits"/>).</summary>
    public const string HitsParameter = "firstHits";

    /// <summary>At most this many rows in one expression: it nests one level per row, and Dynamic LINQ and the
    /// expression compiler recurse that deep.</summary>
    public const int MaxFolded = 32;

    /// <summary>A row whose condition (with what it asks for) is longer stays a rule of its own. Folded text is
    /// compiled a second time at load, so this bounds what folding adds to a reload: at most 2,000 rules of this
    /// length, where the rule set's own expressions may total 2,000 rules of 2,000 characters. Table rows are a
    /// few dozen to a few hundred characters.</summary>
    public const int MaxFoldedRowLength = 500;

    /// <summary>The <see cref="HitsParameter"/> input of the calls that fold nothing (validation, the follow-up):
    /// every call of a rule set's engine takes the same inputs, so that RulesEngine, which caches a compiled
    /// expression by its text and its inputs, compiles a row once for all the shapes it appears in.</summary>
    public static readonly RuleParameter NoHits = new(HitsParameter, new Diagnosis.FirstHits(0));

    /// <summary>All shapes of every workflow, for one engine (which caches compiled expressions across them).</summary>
    public static IEnumerable<Workflow> All(
        List<Workflow> asWritten, IEnumerable<LoadedWorkflow> diagnosis, IEnumerable<LoadedWorkflow> escalation, List<LoadedWorkflow> policies,
        WithPoliciesPlan withPolicies) =>
    [
        .. asWritten.Select(w => new Workflow { WorkflowName = AsWrittenPrefix + w.WorkflowName, Rules = w.Rules }),
        .. Served(asWritten, [.. diagnosis, .. escalation], policies),
        .. Folded(asWritten, diagnosis, policies, withPolicies),
    ];

    /// <summary>
    /// The shape a diagnosis runs first: each run of foldable rows (<see cref="LoadedRule.Fold"/>, at most
    /// <see cref="MaxFolded"/>) becomes one rule whose expression is the rows' conditions in file order, each
    /// followed by a call that records it, joined by <c>||</c>: <c>(ticket.InArrears == true) &amp;&amp;
    /// firstHits.Hit(0, 1) || (ticket.DataFeatureEnabled == false) &amp;&amp; firstHits.Hit(0, 2) || ...</c>.
    /// The engine evaluates it left to right and stops at the first row that holds, as it stops at the first
    /// matching child of the row-by-row shape, so the answer is the same; but RulesEngine builds its per-rule result
    /// (a result node, a dictionary of the inputs, an argument array) once per run instead of once per row, which
    /// was most of a diagnosis's cost. Rows with local parameters of their own stay rules of their own between the
    /// runs. A row that throws fails its whole run; the caller then answers from the row-by-row shape, where it is
    /// a failed rule in the trace as before.
    /// </summary>
    public static IEnumerable<Workflow> Folded(
        List<Workflow> asWritten, IEnumerable<LoadedWorkflow> diagnosis, List<LoadedWorkflow> policies, WithPoliciesPlan withPolicies)
    {
        // A workflow served with the policies falls back to rule by rule: its run is compiled once, in that shape.
        foreach (var workflow in diagnosis.Where(w => withPolicies.IndexOf(w) < 0))
        {
            yield return new Workflow { WorkflowName = workflow.FoldedName, Rules = [FoldedRule(asWritten, workflow, slot: 0)] };
        }
        if (policies.Count > 0)
        {
            var each = policies.Select((p, i) => FoldedRule(asWritten, p, slot: 1 + i)).ToList();
            var all = PoliciesAsOne(policies) ? AllOf(each) : null;
            if (withPolicies.PoliciesFoldedAlone)
            {
                yield return new Workflow
                {
                    WorkflowName = FoldedPrefix + RuleSet.PoliciesWorkflow,
                    Rules = all is not null ? [all] : each,
                };
            }
            if (withPolicies.Workflows.Count > 0)
            {
                var runs = withPolicies.Workflows.Select((workflow, k) =>
                    $"{HitsParameter}.{nameof(Diagnosis.FirstHits.Serves)}({k}) && ({FoldedRule(asWritten, workflow, slot: 0).Expression})");
                yield return new Workflow
                {
                    WorkflowName = WithPoliciesWorkflow,
                    Rules =
                    [
                        new Rule
                        {
                            RuleName = WithPoliciesWorkflow,
                            Expression = $"({string.Join(" || ", runs)}) && {HitsParameter}.{nameof(Diagnosis.FirstHits.Diagnosed)}() && {all!.Expression}",
                            RuleExpressionType = RuleExpressionType.LambdaExpression,
                            Enabled = true,
                        },
                    ],
                };
            }
        }
    }

    /// <summary>At most this many policy rows are served with the diagnosis (<see cref="WithPolicies"/>): when some
    /// diagnosis workflow does not qualify, their text is compiled a second time (<see cref="WithPoliciesPlan.PoliciesFoldedAlone"/>), so
    /// this bounds what a reload adds.</summary>
    public const int MaxRowsWithPolicies = 128;

    /// <summary>
    /// The diagnosis workflows (of <paramref name="diagnosis"/>, in its order) served together with the policies, as one
    /// engine rule: the run of the workflow being diagnosed, picked by <c>firstHits.Serves(k)</c> (k its index here),
    /// then <c>firstHits.Diagnosed()</c>, which turns the row it recorded into the <c>diagnosis</c> input, then the
    /// policies as one rule (<see cref="PoliciesAsOne"/>): <c>(firstHits.Serves(0) &amp;&amp; (run) || ...) &amp;&amp;
    /// firstHits.Diagnosed() &amp;&amp; ((policy 1) || true) &amp;&amp; ...</c>. A diagnosis is then one engine call instead
    /// of two; RulesEngine's fixed cost per call (its inputs copied and sorted, its cache key built twice, a result tree)
    /// was the largest part of a diagnosis left on the service's side. A workflow qualifies when it is one folded run,
    /// the policies are one rule and have at most <see cref="MaxRowsWithPolicies"/> rows (every shipped one does). Its
    /// run is compiled in this shape instead of the folded one, and when every workflow qualifies so are the policies,
    /// so a reload compiles no more text than before this shape. Any row that throws fails the whole rule; the diagnosis
    /// is then answered rule by rule, and the policies folded (<see cref="WithPoliciesPlan.PoliciesFoldedAlone"/>), then
    /// rule by rule, where a failed rule is a trace entry and a counter as before. Decided once per rule set: the engine
    /// is built, warmed and served from the same plan.
    /// </summary>
    public static WithPoliciesPlan WithPolicies(IReadOnlyList<LoadedWorkflow> diagnosis, IReadOnlyList<LoadedWorkflow> policies)
    {
        IReadOnlyList<LoadedWorkflow> workflows = PoliciesAsOne(policies) && policies.Sum(p => p.Rules.Count) <= MaxRowsWithPolicies
            ? [.. diagnosis.Where(w => w.Parts is [{ Folded: true }])]
            : [];
        return new WithPoliciesPlan(workflows, policiesFoldedAlone: policies.Count > 0 && diagnosis.Count > workflows.Count);
    }

    /// <summary>The inputs of <see cref="WithPoliciesWorkflow"/> for <paramref name="workflow"/>, index <paramref name="serving"/>
    /// in the plan: the ticket, the <c>diagnosis</c> that <see cref="Diagnosis.FirstHits.Diagnosed"/> decides while the rule
    /// runs, and <paramref name="hits"/>, which records the rows. Made in one place so that the warm-up compiles the
    /// engine's cache entry a request uses (RulesEngine keys it by the inputs' names and types).</summary>
    public static RuleParameter[] WithPoliciesInputs(RuleParameter ticket, LoadedWorkflow workflow, int serving, int policies, out Diagnosis.FirstHits hits)
    {
        var decided = new Diagnosis.DiagnosisFacts();
        hits = new Diagnosis.FirstHits(1 + policies, workflow, serving, decided);
        return [ticket, new RuleParameter(RuleSetCompiler.DiagnosisParameter, decided), new RuleParameter(HitsParameter, hits)];
    }

    /// <summary>At most this many policies are served as one rule (<see cref="PoliciesAsOne"/>): each adds a level of
    /// nesting to the expression, on top of its run's.</summary>
    public const int MaxPoliciesAsOne = 16;

    /// <summary>
    /// Whether the policies' folded shape is one rule for all of them: when each policy is one folded run (every
    /// shipped policy is) and there are two to <see cref="MaxPoliciesAsOne"/>. The rule is the runs in manifest order,
    /// each as <c>((run) || true)</c>, joined by <c>&amp;&amp;</c>: every run is evaluated and records its first hit in
    /// its slot, and the whole holds. RulesEngine then builds one result for all policies instead of one per policy
    /// (the policies' call had allocated a third of a diagnose request's memory, most of it those results). A row
    /// that throws fails them all, and the policies are answered rule by rule, as before. The rule's text is the
    /// runs' text, which it replaces in this shape, so a reload compiles no more than before.
    /// </summary>
    public static bool PoliciesAsOne(IReadOnlyList<LoadedWorkflow> policies)
    {
        if (policies.Count is < 2 or > MaxPoliciesAsOne)
        {
            return false;
        }
        for (var i = 0; i < policies.Count; i++)
        {
            if (policies[i].Parts is not [{ Folded: true }])
            {
                return false;
            }
        }
        return true;
    }

    private static Rule AllOf(List<Rule> runs) => new()
    {
        RuleName = RuleSet.PoliciesWorkflow,
        Expression = string.Join(" && ", runs.Select(run => $"(({run.Expression}) || true)")),
        RuleExpressionType = RuleExpressionType.LambdaExpression,
        Enabled = true,
    };

    /// <summary>The runs of foldable rows and the rules of their own, in file order.</summary>
    public static IReadOnlyList<ServedPart> Plan(IReadOnlyList<LoadedRule> rules)
    {
        var parts = new List<ServedPart>();
        for (var i = 0; i < rules.Count;)
        {
            var count = 1;
            if (rules[i].Fold is not null)
            {
                while (i + count < rules.Count && count < MaxFolded && rules[i + count].Fold is not null)
                {
                    count++;
                }
            }
            parts.Add(new ServedPart(i, count, rules[i].Fold is not null));
            i += count;
        }
        return parts;
    }

    private static Rule FoldedRule(List<Workflow> asWritten, LoadedWorkflow workflow, int slot)
    {
        var written = asWritten.Single(w => w.WorkflowName == workflow.Name).Rules.ToList();
        var parts = workflow.Parts.Select(part => part.Folded ? Run(workflow, part, slot) : written[part.First]).ToList();
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

    /// <summary>
    /// The rule-by-rule shape: what a diagnosis falls back to when a rule fails in the folded shape, and what the
    /// escalation workflow (follow-up) runs. The same rules, shaped so that RulesEngine itself applies the hit
    /// policy. A workflow becomes one <c>OrElse</c> rule over its rules in file order; with
    /// <see cref="NestedRuleExecutionMode.Performance"/> the engine evaluates them in order and stops at the
    /// first that matches, so the result's children are exactly the rules evaluated (the trace) and a
    /// complaint costs the rules up to its answer instead of all of them. Each rule keeps its own local
    /// parameters, and one whose expression throws is a rule that did not match, as in the flat workflow.
    /// The policy workflows all take the same inputs, so they are served as one engine workflow with one
    /// such rule per policy, in manifest order: one engine call instead of one per policy.
    /// </summary>
    private static IEnumerable<Workflow> Served(
        List<Workflow> asWritten, IEnumerable<LoadedWorkflow> diagnosis, List<LoadedWorkflow> policies)
    {
        Rule FirstHit(string name) => new()
        {
            RuleName = name,
            Operator = nameof(ExpressionType.OrElse),
            Rules = asWritten.Single(w => w.WorkflowName == name).Rules,
            Enabled = true,
        };

        foreach (var workflow in diagnosis)
        {
            yield return new Workflow { WorkflowName = workflow.Name, Rules = [FirstHit(workflow.Name)] };
        }
        if (policies.Count > 0)
        {
            yield return new Workflow { WorkflowName = RuleSet.PoliciesWorkflow, Rules = [.. policies.Select(p => FirstHit(p.Name))] };
        }
    }
}

/// <summary>The diagnosis workflows served together with the policies (<see cref="ServingShape.WithPolicies"/>), in the order
/// of their engine rule (workflow k runs behind <c>firstHits.Serves(k)</c>). The engine's shapes, the load-time warm-up
/// and the <see cref="RuleSet"/> all ask it, so they cannot disagree on which workflow is served how.</summary>
internal sealed class WithPoliciesPlan
{
    private readonly Dictionary<LoadedWorkflow, int> _index = new(ReferenceEqualityComparer.Instance);

    public WithPoliciesPlan(IReadOnlyList<LoadedWorkflow> workflows, bool policiesFoldedAlone)
    {
        Workflows = workflows;
        PoliciesFoldedAlone = policiesFoldedAlone;
        foreach (var workflow in workflows)
        {
            _index[workflow] = _index.Count;
        }
    }

    public IReadOnlyList<LoadedWorkflow> Workflows { get; }

    /// <summary>Whether the policies also have a folded shape of their own: yes, unless every diagnosis workflow is
    /// served with them, as every shipped one is. Without it a diagnosis that falls back answers the policies rule by
    /// rule, and a reload compiles their text once.</summary>
    public bool PoliciesFoldedAlone { get; }

    /// <summary>The index k of <paramref name="diagnosis"/> in the engine rule, or -1 when it is not served with the
    /// policies (it then has a folded shape of its own).</summary>
    public int IndexOf(LoadedWorkflow diagnosis) => _index.GetValueOrDefault(diagnosis, -1);
}

/// <summary>Rules <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> - 1 of a workflow, served as one
/// folded rule or (<see cref="Folded"/> false, <see cref="Count"/> 1) as a rule of its own.</summary>
internal readonly record struct ServedPart(int First, int Count, bool Folded);
