using System.Linq.Expressions;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: the workflows as the engine holds them: each as written (for validation) and as served.</summary>
internal static class ServingShape
{
    /// <summary>Validation runs each workflow as written under this prefix; '$' starts no name in the files.</summary>
    public const string AsWrittenPrefix = "$as-written:";

    /// <summary>Both shapes of every workflow, for one engine (which caches compiled expressions across them).</summary>
    public static IEnumerable<Workflow> All(List<Workflow> asWritten, IEnumerable<LoadedWorkflow> diagnosis, List<LoadedWorkflow> policies) =>
    [
        .. asWritten.Select(w => new Workflow { WorkflowName = AsWrittenPrefix + w.WorkflowName, Rules = w.Rules }),
        .. Served(asWritten, diagnosis, policies),
    ];

    /// <summary>
    /// What the engine in service runs: the same rules, shaped so that RulesEngine itself applies the hit
    /// policy. A workflow becomes one <c>OrElse</c> rule over its rules in file order; with
    /// <see cref="NestedRuleExecutionMode.Performance"/> the engine evaluates them in order and stops at the
    /// first that matches, so the result's children are exactly the rules evaluated (the trace) and a
    /// complaint costs the rules up to its answer instead of all of them. Each rule keeps its own local
    /// parameters, and one whose expression throws is a rule that did not match, as in the flat workflow.
    /// The policy workflows all take the same inputs, so they are served as one engine workflow with one
    /// such rule per policy, in manifest order: one engine call instead of one per policy.
    /// </summary>
    public static IEnumerable<Workflow> Served(
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
