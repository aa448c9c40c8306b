using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.History;

/// <summary>What a version of the rule files changed against the one before it, named as a NOC engineer reads the
/// files: <c>Data/D1_AccountInArrears</c> for a rule, <c>reply data.arrears</c>, <c>cause ACCOUNT_ARREARS</c>,
/// <c>action callCustomer</c>, <c>notify shiftLeader</c>. Computed from the files' JSON (comments and layout do not
/// count), so the in-memory history and a Git commit's changes are named by one rule, and a revision that does not
/// compile still shows what it touched.</summary>
public sealed record RuleSetChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Modified)
{
    public static RuleSetChanges Between(RuleSet? before, RuleSet after)
    {
        ArgumentNullException.ThrowIfNull(after);
        return Between(before?.Sources, after.Sources);
    }

    public static RuleSetChanges Between(RuleSources? before, RuleSources after)
    {
        ArgumentNullException.ThrowIfNull(after);
        var old = Signatures(before);
        var now = Signatures(after);
        return new RuleSetChanges(
            [.. now.Keys.Where(k => !old.ContainsKey(k))],
            [.. old.Keys.Where(k => !now.ContainsKey(k))],
            [.. now.Where(kv => old.TryGetValue(kv.Key, out var o) && o != kv.Value).Select(kv => kv.Key)]);
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Modified.Count == 0;

    /// <summary>Everything that decides an answer, keyed by name; a rule's signature includes its place in hit
    /// order, since moving a rule changes answers.</summary>
    private static Dictionary<string, string> Signatures(RuleSources? sources)
    {
        var signatures = new Dictionary<string, string>(StringComparer.Ordinal);
        if (sources is null)
        {
            return signatures;
        }
        foreach (var file in sources.WorkflowFiles)
        {
            var workflows = Parse(sources, file) switch
            {
                JObject one => [one],
                JArray many => many.OfType<JObject>(),
                _ => [],
            };
            foreach (var workflow in workflows)
            {
                var rules = (workflow["Rules"] as JArray)?.OfType<JObject>().ToList() ?? [];
                for (var i = 0; i < rules.Count; i++)
                {
                    signatures[$"{workflow["WorkflowName"]}/{rules[i]["RuleName"]}"] = $"{i}\u0001{rules[i].ToString(Formatting.None)}";
                }
            }
        }
        foreach (var (file, section, label) in new[]
        {
            (RuleSources.RepliesFile, "templates", "reply"),
            (RuleSources.CausesFile, "causes", "cause"),
            (RuleSources.ActionsFile, "actions", "action"),
            (RuleSources.NotifyFile, "notify", "notify"),
        })
        {
            foreach (var entry in (Parse(sources, file)?[section] as JObject)?.Properties() ?? [])
            {
                signatures[$"{label} {entry.Name}"] = entry.Value.ToString(Formatting.None);
            }
        }
        if (Parse(sources, RuleSources.ManifestFile) is JObject manifest)
        {
            manifest.Remove("$schema");
            signatures["manifest"] = manifest.ToString(Formatting.None);
        }
        if (Parse(sources, RuleSources.TicketMappingFile) is JObject mapping)
        {
            // How the ticket system's tickets read: a change here changes what is diagnosed from the TMF621 feed.
            mapping.Remove("$schema");
            signatures["ticket mapping"] = mapping.ToString(Formatting.None);
        }
        return signatures;
    }

    private static JToken? Parse(RuleSources sources, string file)
    {
        if (!sources.Files.TryGetValue(file, out var text))
        {
            return null;
        }
        try
        {
            return RuleSources.ParseJson(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One accepted version in the service's own (in-memory) history.</summary>
public sealed record RuleSetHistoryEntry(string Version, DateTimeOffset LoadedAt, RuleSetChanges Changes);
