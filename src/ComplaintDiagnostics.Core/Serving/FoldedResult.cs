using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Serving;

/// <summary>What a folded engine call decided (<see cref="EngineShapes"/>): the winning rule, what it asks for, and the
/// rules evaluated up to it; or, for the policies, each one's winner.</summary>
internal static class FoldedResult
{
    /// <summary>
    /// Reads <paramref name="result"/>, the workflow's rule in a folded engine call. False when one of its parts
    /// failed (a row threw, in a folded run or on its own): the caller then runs the workflow rule by rule, where a
    /// failed rule is a trace entry and a counter, and nothing read here is used.
    /// </summary>
    public static bool TryRead(
        IReadOnlyList<ServedPart> parts, LoadedWorkflow workflow, RuleResultTree result, FirstHits hits, int slot, List<EvaluatedRule>? evaluated,
        out LoadedRule? winner, out string[] missing)
    {
        winner = null;
        missing = [];
        if (parts.Count == 1)
        {
            return Read(workflow, parts[0], result, hits, slot, evaluated, ref winner, ref missing);
        }
        var i = 0;
        // An "OrElse" over the parts in performance mode: its children end at the first part that matched.
        foreach (var child in result.ChildResults ?? [])
        {
            if (!Read(workflow, parts[i++], child, hits, slot, evaluated, ref winner, ref missing))
            {
                return false;
            }
            if (winner is not null)
            {
                break;
            }
        }
        return string.IsNullOrEmpty(result.ExceptionMessage);
    }

    /// <summary>
    /// Reads the policies' folded engine call into <paramref name="winners"/> (manifest order), in whichever shape
    /// they were served: one rule for all (<see cref="ServingPlan.PoliciesAsOne"/>) or one rule per policy. False when a
    /// row threw: the caller then answers the policies rule by rule.
    /// </summary>
    public static bool TryReadPolicies(ServingPlan plan, List<RuleResultTree> results, FirstHits hits, LoadedRule?[] winners)
    {
        if (plan.PoliciesAsOne)
        {
            return TryReadAll(plan.Policies, results[0], hits, winners);
        }
        for (var i = 0; i < winners.Length; i++)
        {
            if (!TryRead(plan.PartsOf(plan.Policies[i]), plan.Policies[i], results[i], hits, slot: 1 + i, evaluated: null, out winners[i], out _))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Reads the policies served as one rule into <paramref name="winners"/>: each policy's winner is the row its
    /// run recorded in its slot (1 + its index), or none. False when a row threw.</summary>
    private static bool TryReadAll(IReadOnlyList<LoadedWorkflow> policies, RuleResultTree result, FirstHits hits, LoadedRule?[] winners)
    {
        if (!result.IsSuccess || !string.IsNullOrEmpty(result.ExceptionMessage))
        {
            return false;
        }
        for (var i = 0; i < policies.Count; i++)
        {
            var row = hits.Row(1 + i);
            if (row >= policies[i].Rules.Count)
            {
                return false;
            }
            winners[i] = row >= 0 ? policies[i].Rules[row] : null;
        }
        return true;
    }

    private static bool Read(
        LoadedWorkflow workflow, ServedPart part, RuleResultTree result, FirstHits hits, int slot, List<EvaluatedRule>? evaluated,
        ref LoadedRule? winner, ref string[] missing)
    {
        if (!string.IsNullOrEmpty(result.ExceptionMessage))
        {
            return false;
        }
        var matched = !result.IsSuccess ? -1 : part.Folded ? hits.Row(slot) : part.First;
        if (matched >= 0 && (matched < part.First || matched >= part.First + part.Count))
        {
            // A folded run that matched records its row: anything else is not a result this code understands.
            return false;
        }
        var last = matched >= 0 ? matched : part.First + part.Count - 1;
        for (var row = part.First; evaluated is not null && row <= last; row++)
        {
            evaluated.Add(new EvaluatedRule(workflow.Rules[row].Name, row == matched, null));
        }
        if (matched >= 0)
        {
            winner = workflow.Rules[matched];
            missing = (part.Folded ? hits.Missing(slot) : RuleServer.MissingFields(result)) ?? [];
        }
        return true;
    }
}
