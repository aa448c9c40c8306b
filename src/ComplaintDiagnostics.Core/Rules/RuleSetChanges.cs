using System.Text.Json;
using ComplaintDiagnostics.Contracts;

namespace ComplaintDiagnostics.Core.Rules;

/// <summary>What an accepted version changed against the one before it, named as a NOC engineer reads the
/// files: <c>Data/D1_AccountInArrears</c> for a rule, <c>reply data.arrears</c>, <c>cause ACCOUNT_ARREARS</c>, <c>action callCustomer</c>.</summary>
public sealed record RuleSetChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Modified)
{
    public static RuleSetChanges Between(RuleSet? before, RuleSet after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = Signatures(before);
        var now = Signatures(after);
        return new RuleSetChanges(
            [.. now.Keys.Where(k => !old.ContainsKey(k))],
            [.. old.Keys.Where(k => !now.ContainsKey(k))],
            [.. now.Where(kv => old.TryGetValue(kv.Key, out var o) && o != kv.Value).Select(kv => kv.Key)]);
    }

    /// <summary>Everything that decides an answer, keyed by name; a rule's signature includes its place
    /// in hit order, since moving a rule changes answers.</summary>
    private static Dictionary<string, string> Signatures(RuleSet? rules)
    {
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (rules is null)
        {
            return signatures;
        }
        foreach (var workflow in rules.Workflows)
        {
            for (var i = 0; i < workflow.Rules.Count; i++)
            {
                var rule = workflow.Rules[i];
                signatures[$"{workflow.Name}/{rule.Name}"] = string.Join("\u0001",
                    i, rule.Expression, string.Join(";", rule.LocalParams), JsonSerializer.Serialize(rule.Outcome, ContractJson.Options));
            }
        }
        foreach (var (id, texts) in rules.Replies)
        {
            signatures[$"reply {id}"] = string.Join("\u0001", texts.OrderBy(t => t.Key, StringComparer.Ordinal));
        }
        foreach (var (code, labels) in rules.Actions)
        {
            signatures[$"action {code}"] = string.Join("\u0001", labels.OrderBy(t => t.Key, StringComparer.Ordinal));
        }
        foreach (var (code, cause) in rules.Causes)
        {
            signatures[$"cause {code}"] = cause.Group + "\u0001" + string.Join("\u0001", cause.Labels.OrderBy(t => t.Key, StringComparer.Ordinal));
        }
        return signatures;
    }
}

/// <summary>One accepted version in the history.</summary>
public sealed record RuleSetHistoryEntry(string Version, DateTimeOffset LoadedAt, RuleSetChanges Changes);
