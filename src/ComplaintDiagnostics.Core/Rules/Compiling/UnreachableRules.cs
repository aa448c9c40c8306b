using RulesEngine.Models;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: warns of rules that can never win.</summary>
internal static class UnreachableRules
{
    /// <summary>First match wins, so a rule after one that always matches, or after one with the very
    /// same condition, can never win: almost always a reordering mistake.</summary>
    public static void Warn(RuleFiles files, List<LoadedRule> rules, List<Rule> engineRules)
    {
        static string Normalize(string expression) => string.Concat(expression.Where(c => !char.IsWhiteSpace(c)));

        // One pass: remember the first rule of each condition and the first unconditional one.
        var firstWithCondition = new Dictionary<string, int>(StringComparer.Ordinal);
        int? alwaysMatches = null;
        for (var i = 0; i < rules.Count; i++)
        {
            var locals = engineRules[i].LocalParams?.ToList() ?? [];
            var key = string.Join("|", locals.Select(p => p.Name + "=" + Normalize(p.Expression))) + "|" + Normalize(rules[i].Expression);
            var earlier = alwaysMatches ?? (firstWithCondition.TryGetValue(key, out var same) ? same : (int?)null);
            if (earlier is { } shadow)
            {
                var reason = shadow == alwaysMatches ? "always matches" : "has the same condition";
                files.Problems.Add(new RuleProblem(rules[i].File, rules[i].Line, null, rules[i].Name,
                    $"this rule can never win: the earlier rule '{rules[shadow].Name}' {reason}.", ProblemSeverity.Warning));
            }
            firstWithCondition.TryAdd(key, i);
            if (alwaysMatches is null && locals.Count == 0 && Normalize(rules[i].Expression) == "true")
            {
                alwaysMatches = i;
            }
        }
    }
}
