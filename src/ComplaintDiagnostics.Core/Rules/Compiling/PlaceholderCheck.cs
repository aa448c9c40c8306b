namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: warns where a diagnosis rule's reply names a deadline ({onSiteBy}...) that no answer of that rule
/// can have: neither the rule nor any policy rule sets it, so the text would always read "as soon as possible".</summary>
internal static class PlaceholderCheck
{
    public static IEnumerable<RuleProblem> Warnings(IEnumerable<LoadedWorkflow> diagnosis, IEnumerable<LoadedWorkflow> policies, ReplyCatalogue? replies)
    {
        if (replies is null)
        {
            yield break;
        }
        var fromPolicies = policies.SelectMany(p => p.Rules).SelectMany(r => Kinds(r.Outcome.Deadlines)).ToHashSet();
        foreach (var rule in diagnosis.SelectMany(w => w.Rules))
        {
            if (rule.Outcome.Reply is not { } reply || !replies.Placeholders.TryGetValue(reply, out var used))
            {
                continue;
            }
            var possible = Kinds(rule.Outcome.Deadlines).Concat(fromPolicies).ToHashSet();
            foreach (var kind in used.Where(k => !possible.Contains(k)).Order())
            {
                var name = char.ToLowerInvariant(kind.ToString()[0]) + kind.ToString()[1..];
                yield return new RuleProblem(rule.File, rule.Line, null, rule.Name,
                    $"the reply '{reply}' uses {{{name}}}, but no answer of this rule has that deadline (neither the rule nor a policy sets it): it will always read the \"as soon as possible\" words.",
                    ProblemSeverity.Warning);
            }
        }
    }

    private static IEnumerable<DeadlineKind> Kinds(DeadlineMinutes deadlines)
    {
        if (deadlines.ContactBy is not null)
        {
            yield return DeadlineKind.ContactBy;
        }
        if (deadlines.OnSiteBy is not null)
        {
            yield return DeadlineKind.OnSiteBy;
        }
        if (deadlines.ResolveBy is not null)
        {
            yield return DeadlineKind.ResolveBy;
        }
    }
}
