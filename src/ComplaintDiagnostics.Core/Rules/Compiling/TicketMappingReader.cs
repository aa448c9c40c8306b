using ComplaintDiagnostics.Core.Rules.Tables;
using ComplaintDiagnostics.Core.Tickets;
using Newtonsoft.Json.Linq;

namespace ComplaintDiagnostics.Core.Rules.Compiling;

/// <summary>Stage: reads <c>tmf621.json</c> (<see cref="TicketMapping"/>), when the rule set has one: every request path
/// it names must be the contract's, every channel a <c>source</c> of the contract, every resolution code a cause of the
/// catalogue, each finding with its file, line and a did-you-mean.</summary>
internal sealed class TicketMappingReader(RuleFiles files)
{
    private const string File = TicketMapping.File;

    public TicketMapping Read(IReadOnlyCollection<string>? causes)
    {
        if (!files.Sources.Files.ContainsKey(File) || files.Parse(File) is not JObject root)
        {
            return TicketMapping.Default;
        }
        files.Keys(File, root, null, ["$schema", "ticketTypes", "characteristics", "relatedEntities", "channels", "confirmedCauseCharacteristic", "resolutionCodes"]);
        var ticketTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (root["ticketTypes"] is { } types)
        {
            foreach (var type in types as JArray ?? [])
            {
                if (type is JValue { Type: JTokenType.String } t && ((string)t!).Trim().Length > 0)
                {
                    ticketTypes.Add(((string)t!).Trim());
                }
                else
                {
                    files.Add(File, type, null, "a ticket type is a non-empty text, e.g. \"complaint\".");
                }
            }
            if (types is not JArray)
            {
                files.Add(File, types, null, "\"ticketTypes\" is a list of the ticketType values to diagnose, e.g. [ \"complaint\" ].");
            }
        }
        var characteristics = Map(root, "characteristics", TicketMapping.CharacteristicPaths,
            "a request path of the contract that a characteristic may give (ticketId, receivedAt and source come from the ticket's id, creationDate and channel)");
        var relatedEntities = Map(root, "relatedEntities", TicketMapping.CharacteristicPaths,
            "a request path of the contract that a related entity may give (ticketId, receivedAt and source come from the ticket's id, creationDate and channel)");
        var sources = TablePaths.Find("source")?.Values.Select(v => v.Wire).ToList() ?? [];
        var channels = Map(root, "channels", sources, "a source of the contract");
        var codes = causes is null ? null : Map(root, "resolutionCodes", causes, "a cause code of causes.json");
        var confirmed = root["confirmedCauseCharacteristic"] switch
        {
            null => TicketMapping.Default.ConfirmedCauseCharacteristic,
            JValue { Type: JTokenType.String } v when ((string)v!).Trim().Length > 0 => ((string)v!).Trim(),
            var other => Refuse(other, "\"confirmedCauseCharacteristic\" is the name of the characteristic with the confirmed cause, e.g. \"confirmedCause\"."),
        };
        return new TicketMapping(ticketTypes.Count > 0 || root["ticketTypes"] is not null ? ticketTypes : TicketMapping.Default.TicketTypes.ToHashSet(StringComparer.OrdinalIgnoreCase),
            characteristics, relatedEntities, channels, confirmed, codes ?? new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>An object of names to values, each value one of <paramref name="allowed"/> (exactly, as the rules write it).</summary>
    private Dictionary<string, string> Map(JObject root, string key, IEnumerable<string> allowed, string what)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root[key] is null)
        {
            return map;
        }
        if (root[key] is not JObject entries)
        {
            files.Add(File, root[key], null, $"\"{key}\" is an object of names to values, each {what}.");
            return map;
        }
        var candidates = allowed.ToList();
        foreach (var entry in entries.Properties())
        {
            if (entry.Value is not JValue { Type: JTokenType.String } value)
            {
                files.Add(File, entry, entry.Name, $"\"{entry.Name}\" must map to a text, {what}.");
                continue;
            }
            var target = (string)value!;
            if (!candidates.Contains(target, StringComparer.Ordinal))
            {
                files.Add(File, entry.Value, entry.Name, $"'{target}' is not {what}." + DidYouMean.Phrase(target, candidates));
                continue;
            }
            if (!map.TryAdd(entry.Name.Trim(), target))
            {
                files.Add(File, entry, entry.Name, $"\"{entry.Name}\" is given twice (names are matched case and spaces aside).");
            }
        }
        return map;
    }

    private string Refuse(JToken token, string message)
    {
        files.Add(File, token, null, message);
        return TicketMapping.Default.ConfirmedCauseCharacteristic;
    }
}
