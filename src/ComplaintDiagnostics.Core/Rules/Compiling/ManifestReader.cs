using ComplaintDiagnostics.Contracts;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>What <c>ruleset.json</c> says: which workflow diagnoses each complaint type, the policies in order, the languages.</summary>
internal sealed record Manifest(
    IReadOnlyDictionary<ComplaintType, string> Diagnosis,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Languages,
    string? Escalation = null);

/// <summary>Stage: reads the manifest.</summary>
internal sealed class ManifestReader(RuleFiles files)
{
    public Manifest? Read()
    {
        const string file = RuleSources.ManifestFile;
        if (files.Parse(file) is not JObject root)
        {
            return null;
        }
        files.Keys(file, root, null, ["$schema", "diagnosis", "policies", "escalation", "languages", "defaultLanguage"]);

        var diagnosis = new Dictionary<ComplaintType, string>();
        if (files.Require<JObject>(file, root, "diagnosis", null) is { } map)
        {
            foreach (var property in map.Properties())
            {
                if (!ContractJson.TryParseWire(property.Name, out ComplaintType type))
                {
                    files.Add(file, property, null, $"'{property.Name}' is not a complaint type; use one of: {string.Join(", ", ContractJson.WireNames<ComplaintType>())}."
                        + DidYouMean.Phrase(property.Name, ContractJson.WireNames<ComplaintType>()));
                }
                else if (property.Value is JValue { Type: JTokenType.String } name && !string.IsNullOrWhiteSpace((string?)name))
                {
                    diagnosis[type] = (string)name!;
                }
                else
                {
                    files.Add(file, property, null, $"the workflow for '{property.Name}' must be a workflow name.");
                }
            }
            foreach (var type in Enum.GetValues<ComplaintType>().Where(t => !diagnosis.ContainsKey(t) && !files.HasProblem(file)))
            {
                files.Add(file, map, null, $"no workflow diagnoses '{ContractJson.WireName(type)}' complaints; add it to \"diagnosis\".");
            }
        }
        var policies = files.Strings(file, root, "policies", required: false) ?? [];
        var languages = files.Strings(file, root, "languages", required: true) ?? [];
        if (languages.Count == 0 && !files.HasProblem(file))
        {
            files.Add(file, root, null, "\"languages\" must name at least one language, e.g. [\"zh-CN\", \"en\"].");
        }
        var defaultLanguage = (string?)files.Require<JValue>(file, root, "defaultLanguage", null);
        if (defaultLanguage is not null && languages.Count > 0 && !languages.Contains(defaultLanguage))
        {
            files.Add(file, root["defaultLanguage"], null, $"the default language '{defaultLanguage}' is not in \"languages\".");
        }
        var ordered = defaultLanguage is null ? languages : [defaultLanguage, .. languages.Where(l => l != defaultLanguage)];
        var escalation = root["escalation"] is { } e ? (e is JValue { Type: JTokenType.String } v && !string.IsNullOrWhiteSpace((string?)v) ? (string)v! : null) : null;
        if (root["escalation"] is not null && escalation is null)
        {
            files.Add(file, root["escalation"], null, "\"escalation\" must name the workflow that escalates tickets in progress.");
        }
        return files.HasProblem(file) ? null : new Manifest(diagnosis, policies, ordered, escalation);
    }
}
