using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Core.Serving;

/// <summary>Rules <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> - 1 of a workflow, served as one
/// folded rule or (<see cref="Folded"/> false, <see cref="Count"/> 1) as a rule of its own.</summary>
internal readonly record struct ServedPart(int First, int Count, bool Folded);

/// <summary>
/// How one rule set is served, decided once when it is built: which rows fold into runs, each workflow's parts, and
/// whether the policies are one rule. The engine's workflows (<see cref="EngineShapes"/>), the evaluation
/// (<see cref="RuleServer"/>) and its warm-up all read this one plan, so they cannot disagree.
/// </summary>
/// <remarks>
/// Two shapes are served, each kept for what it was measured to buy (docs/performance.md, "What each design choice
/// bought"): rule by rule (the engine applies first-hit itself; what a diagnosis falls back to when a row throws, and
/// what the escalation runs) and folded (runs of rows as one expression that records its first hit; about 40% less
/// server CPU per request and replay time than rule by rule), with the policies as one folded rule when they all fold
/// (about 7% of replay throughput). A third shape, the diagnosis and the policies in one engine call, moved neither
/// figure beyond the noise and was removed.
/// </remarks>
internal sealed class ServingPlan
{
    /// <summary>At most this many rows in one expression: it nests one level per row, and Dynamic LINQ and the
    /// expression compiler recurse that deep.</summary>
    public const int MaxFolded = 32;

    /// <summary>A row whose condition (with what it asks for) is longer stays a rule of its own. Folded text is
    /// compiled a second time at load, so this bounds what folding adds to a reload: at most 2,000 rules of this
    /// length, where the rule set's own expressions may total 2,000 rules of 2,000 characters. Table rows are a
    /// few dozen to a few hundred characters.</summary>
    public const int MaxFoldedRowLength = 500;

    /// <summary>At most this many policies are served as one rule: each adds a level of nesting to the expression.</summary>
    public const int MaxPoliciesAsOne = 16;

    /// <summary>For measuring what a shape earns (docs/performance.md), never for service: <c>COMPLAINTDIAGNOSTICS_SERVING_SHAPES</c>
    /// = <c>all</c> (the default), <c>no-policies-as-one</c> or <c>rule-by-rule</c>, read once per process.</summary>
    internal static readonly string Measured = Environment.GetEnvironmentVariable("COMPLAINTDIAGNOSTICS_SERVING_SHAPES") ?? "all";

    private readonly Dictionary<LoadedWorkflow, IReadOnlyList<ServedPart>> _parts = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<LoadedWorkflow, string> _foldedNames = new(ReferenceEqualityComparer.Instance);

    public ServingPlan(IReadOnlyList<LoadedWorkflow> diagnosis, IReadOnlyList<LoadedWorkflow> policies, LoadedWorkflow? escalation)
    {
        Diagnosis = diagnosis;
        Policies = policies;
        Escalation = escalation;
        foreach (var workflow in diagnosis.Concat(policies))
        {
            _parts[workflow] = Plan(workflow.Rules);
            _foldedNames[workflow] = EngineShapes.FoldedPrefix + workflow.Name;
        }
        PoliciesAsOne = policies.Count is >= 2 and <= MaxPoliciesAsOne && policies.All(p => _parts[p] is [{ Folded: true }])
            && Measured is not ("no-policies-as-one" or "rule-by-rule");
    }

    /// <summary>The diagnosis workflows, each once.</summary>
    public IReadOnlyList<LoadedWorkflow> Diagnosis { get; }

    /// <summary>The policy workflows, in manifest order.</summary>
    public IReadOnlyList<LoadedWorkflow> Policies { get; }

    public LoadedWorkflow? Escalation { get; }

    /// <summary>
    /// Whether the policies' folded shape is one rule for all of them: when each is one folded run and there are two to
    /// <see cref="MaxPoliciesAsOne"/>. The rule is the runs in manifest order, each as <c>((run) || true)</c>, joined by
    /// <c>&amp;&amp;</c>: every run is evaluated and records its first hit in its slot, and the whole holds. RulesEngine
    /// then builds one result for all policies instead of one per policy. A row that throws fails them all, and the
    /// policies are answered rule by rule.
    /// </summary>
    public bool PoliciesAsOne { get; }

    /// <summary>The runs of folded rows and the rules of their own of a diagnosis or policy workflow, in file order.</summary>
    public IReadOnlyList<ServedPart> PartsOf(LoadedWorkflow workflow) => _parts[workflow];

    /// <summary>The engine's name for the workflow's folded shape.</summary>
    public string FoldedNameOf(LoadedWorkflow workflow) => _foldedNames[workflow];

    /// <summary>Whether a row folds with its neighbours: the reader found nothing but the ticket in its scope
    /// (<see cref="LoadedRule.Fold"/>) and its condition is not too long to compile twice.</summary>
    public static bool Folds(LoadedRule rule) =>
        rule.Fold is { } fold && fold.Tests.Length + (fold.Missing?.Length ?? 0) <= MaxFoldedRowLength;

    private static List<ServedPart> Plan(IReadOnlyList<LoadedRule> rules)
    {
        var parts = new List<ServedPart>();
        for (var i = 0; i < rules.Count;)
        {
            var folds = Folds(rules[i]);
            var count = 1;
            while (folds && i + count < rules.Count && count < MaxFolded && Folds(rules[i + count]))
            {
                count++;
            }
            parts.Add(new ServedPart(i, count, folds));
            i += count;
        }
        return parts;
    }
}
