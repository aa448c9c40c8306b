using ComplaintDiagnostics.Contracts;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>What <c>ruleset.json</c> says: which workflow diagnoses each complaint type, the policies in order, the languages.</summary>
internal sealed record Manifest(
    IReadOnlyDictionary<ComplaintType, string> Diagnosis,
    IReadOnlyList<string> Policies,
    IReadOnlyList<string> Languages,
    string? Escalation = null,
    AreaHistory? AreaHistory = null);

/// <summary>Stage: reads the manifest.</summary>
internal sealed partial class ManifestReader(RuleFiles files)
{
    public Manifest? Read()
    {
        const string file = RuleSources.ManifestFile;
        if (files.Parse(file) is not JObject root)
        {
            return null;
        }
        files.Keys(file, root, null, ["$schema", "diagnosis", "policies", "escalation", "languages", "defaultLanguage", "areaHistory"]);

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
        NamedOnce(root, "policies", StringComparer.Ordinal, "each policy runs once, in the order listed");
        var languages = files.Strings(file, root, "languages", required: true) ?? [];
        NamedOnce(root, "languages", StringComparer.OrdinalIgnoreCase, "languages match ignoring case");
        foreach (var tag in (root["languages"] as JArray ?? []).Where(t => t.Type == JTokenType.String && !LanguageTag().IsMatch((string)t!)))
        {
            // "english" was taken for a language every label and reply lacked: 74 findings, none at this line.
            files.Add(file, tag, null, $"'{(string)tag!}' is not a language tag; name a language as a request's Accept-Language does, e.g. \"zh-CN\" or \"en\".");
        }
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
        var areaHistory = root["areaHistory"] is JObject area ? ReadAreaHistory(area) : null;
        if (root["areaHistory"] is { } notObject and not JObject)
        {
            files.Add(file, notObject, null, "\"areaHistory\" must be an object: { complaintTypes, radiusMetres, days, stillUnresolvedAs }.");
        }
        return files.HasProblem(file) ? null : new Manifest(diagnosis, policies, ordered, escalation, areaHistory);
    }

    /// <summary>"areaHistory": which complaints look up the area's record, how near and how recent (domain.md, V3a/V4).
    /// The causes in stillUnresolvedAs are checked against the catalogue later (<see cref="CheckAreaCauses"/>).</summary>
    private AreaHistory? ReadAreaHistory(JObject area)
    {
        const string file = RuleSources.ManifestFile;
        files.Keys(file, area, null, ["complaintTypes", "radiusMetres", "days", "stillUnresolvedAs"]);
        var types = new List<ComplaintType>();
        foreach (var name in files.Strings(file, area, "complaintTypes", required: true) ?? [])
        {
            if (ContractJson.TryParseWire(name, out ComplaintType type))
            {
                types.Add(type);
            }
            else
            {
                files.Add(file, area["complaintTypes"], null, $"'{name}' is not a complaint type; use one of: {string.Join(", ", ContractJson.WireNames<ComplaintType>())}."
                    + DidYouMean.Phrase(name, ContractJson.WireNames<ComplaintType>()));
            }
        }
        var radius = Number(area, "radiusMetres", 1, AreaHistory.MaxRadiusMetres, "metres");
        var days = Number(area, "days", 1, AreaHistory.MaxDays, "days");
        var causes = files.Strings(file, area, "stillUnresolvedAs", required: false) ?? [];
        return radius is null || days is null || days != Math.Floor(days.Value) ? null
            : new AreaHistory(types, radius.Value, (int)days.Value, causes);
    }

    private double? Number(JObject area, string key, double min, double max, string unit)
    {
        if (area[key] is JValue { Type: JTokenType.Integer or JTokenType.Float } value && (double)value! is var number && number >= min && number <= max
            && (key != "days" || number == Math.Floor(number)))
        {
            return number;
        }
        files.Add(RuleSources.ManifestFile, area[key] ?? area, null,
            $"\"areaHistory.{key}\" must be a {(key == "days" ? "whole " : "")}number of {unit} from {min} to {max}.");
        return null;
    }

    /// <summary>Each cause in "areaHistory.stillUnresolvedAs" is a cause of the catalogue.</summary>
    public static void CheckAreaCauses(RuleFiles files, AreaHistory? area, IReadOnlyCollection<string> causes)
    {
        if (area is null || files.Parse(RuleSources.ManifestFile) is not JObject root)
        {
            return;
        }
        foreach (var cause in area.StillUnresolvedAs.Where(c => !causes.Contains(c)))
        {
            files.Add(RuleSources.ManifestFile, root["areaHistory"]?["stillUnresolvedAs"], null,
                $"'{cause}' is not a cause in causes.json." + DidYouMean.Phrase(cause, causes));
        }
    }

    /// <summary>A name listed twice under <paramref name="key"/> is refused at its second place.</summary>
    private void NamedOnce(JObject root, string key, StringComparer comparer, string why)
    {
        var seen = new HashSet<string>(comparer);
        foreach (var name in (root[key] as JArray ?? []).Where(t => t.Type == JTokenType.String).Where(t => !seen.Add((string)t!)))
        {
            files.Add(RuleSources.ManifestFile, name, null, $"'{(string)name!}' is listed twice under \"{key}\" ({why}).");
        }
    }

    /// <summary>A BCP 47 tag as the rule files use them: a language of two or three letters, then subtags (zh-CN, zh-Hans-CN, en).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();
}
