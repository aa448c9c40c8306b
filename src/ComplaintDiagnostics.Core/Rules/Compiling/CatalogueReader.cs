using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>What the rules refer to by name; a catalogue is null when its file cannot be read (then the rules
/// naming its entries are not also reported: the one problem to fix is the file).</summary>
internal sealed record Catalogues(
    Dictionary<string, CauseInfo>? Causes,
    ReplyCatalogue? Replies,
    Dictionary<string, IReadOnlyDictionary<string, string>>? Actions,
    Dictionary<string, IReadOnlyDictionary<string, string>>? Notify = null);

/// <summary>Stage: reads the catalogues the rules refer to: causes (with their group and labels), reply templates
/// and action codes (with their labels).</summary>
internal sealed class CatalogueReader(RuleFiles files)
{
    /// <summary>The cause catalogue, or null when the file cannot be read (then rules naming causes are not
    /// also reported: the one problem to fix is the file).</summary>
    public Dictionary<string, CauseInfo>? ReadCauses(IReadOnlyList<string> languages)
    {
        const string file = RuleSources.CausesFile;
        var causes = new Dictionary<string, CauseInfo>(StringComparer.Ordinal);
        if (files.Parse(file) is not JObject root)
        {
            return null;
        }
        files.Keys(file, root, null, ["$schema", "groups", "causes"]);
        var groups = files.Entries(file, root, "groups");
        foreach (var group in groups?.Properties() ?? [])
        {
            RuleNames.Check(files, file, group, "cause group", group.Name);
            files.Texts(file, group.Value, group.Name, languages);
        }
        if (files.Entries(file, root, "causes") is not { } entries)
        {
            return null;
        }
        foreach (var property in entries.Properties())
        {
            if (!RuleNames.CheckCode(files, file, property, "cause code", property.Name, RuleNames.CauseCode))
            {
                continue;
            }
            if (property.Value is not JObject cause)
            {
                files.Add(file, property, property.Name, "a cause must be an object with \"group\" and \"label\".");
                continue;
            }
            files.Keys(file, cause, property.Name, ["group", "label"]);
            var group = cause["group"];
            string? groupName = null;
            if (group is JValue { Type: JTokenType.String } g)
            {
                groupName = (string)g!;
                if (groups is not null && groups[groupName] is null) // without "groups" (reported above), no group is checked
                {
                    files.Add(file, group, property.Name, $"the group '{groupName}' is not one of \"groups\": {string.Join(", ", groups.Properties().Select(p => p.Name))}."
                        + DidYouMean.Phrase(groupName, groups.Properties().Select(p => p.Name)));
                }
            }
            else if (group is not null && group.Type != JTokenType.Null)
            {
                files.Add(file, group, property.Name, "\"group\" must be a group name or null.");
            }
            causes[property.Name] = new CauseInfo(property.Name, groupName, cause["label"] is { } label
                ? files.Texts(file, label, property.Name, languages)
                : files.NoTexts(file, cause, property.Name, "\"label\" is missing: the cause's name, per language."));
        }
        return causes;
    }

    /// <summary>The action catalogue: every action code a rule may name, with its label per language.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>>? ReadActions(IReadOnlyList<string> languages) =>
        ReadLabels(RuleSources.ActionsFile, "actions", languages);

    /// <summary>The notify catalogue: whom an escalation may notify, with labels. Optional while no workflow escalates.</summary>
    public Dictionary<string, IReadOnlyDictionary<string, string>>? ReadNotify(IReadOnlyList<string> languages) =>
        files.Sources.Files.ContainsKey(RuleSources.NotifyFile) ? ReadLabels(RuleSources.NotifyFile, "notify", languages) : [];

    private Dictionary<string, IReadOnlyDictionary<string, string>>? ReadLabels(string file, string key, IReadOnlyList<string> languages)
    {
        var labels = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        if (files.Parse(file) is not JObject root)
        {
            return null;
        }
        files.Keys(file, root, null, ["$schema", key]);
        if (files.Entries(file, root, key) is not { } entries)
        {
            return null;
        }
        foreach (var entry in entries.Properties())
        {
            if (!RuleNames.CheckCode(files, file, entry, key == "notify" ? "notify code" : "action code", entry.Name, RuleNames.CamelCode))
            {
                continue;
            }
            labels[entry.Name] = files.Texts(file, entry.Value, entry.Name, languages);
        }
        return labels;
    }

    /// <summary>All three catalogues.</summary>
    public Catalogues ReadAll(IReadOnlyList<string> languages) =>
        new(ReadCauses(languages), new ReplyReader(files).Read(languages), ReadActions(languages), ReadNotify(languages));
}
