using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Rules.Tables;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Api.Tmf621;

/// <summary>A TMF688 event envelope with a TMF621 trouble ticket under <c>event.troubleTicket</c>, as read.</summary>
internal sealed record TicketEventEnvelope(string EventId, string? EventType, JsonElement Ticket);

/// <summary>
/// Reads what a ticket system sends its listeners (TM Forum TMF621 v5 events in the TMF688 envelope) the way the rules'
/// <see cref="TicketMapping"/> says: the envelope, then a created ticket as the contract's complaint (JSON the one complaint
/// reader then reads, so the same names, kinds and errors apply), each error named by the part of the event it came from
/// (<c>event.troubleTicket.troubleTicketCharacteristic[2]</c>). Extra fields are ignored, as a listener should; a
/// characteristic that means no field of the contract is skipped; choices match in any case ("LTE", "lte").
/// </summary>
internal static class TicketEventReader
{
    public const string TicketPath = "event.troubleTicket";

    /// <summary>Every part of an event the listeners read (<see cref="Http.ExactJson"/>'s paths): these must be readable and given once.</summary>
    public static readonly IReadOnlyCollection<string> Reads =
    [
        "eventId", "eventType", .. new[]
        {
            "id", "creationDate", "channel.name", "channel.id", "status", "statusChangeReason", "resolutionDate", "ticketType",
            "troubleTicketCharacteristic[].name", "troubleTicketCharacteristic[].value", "relatedEntity[].role", "relatedEntity[].entity.name",
            "relatedEntity[].entity.id",
        }.Select(part => $"{TicketPath}.{part}"),
    ];

    public static (TicketEventEnvelope? Envelope, Dictionary<string, string[]> Errors) ReadEnvelope(JsonElement root, string expectedType)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors["$"] = ["a TMF688 event: { \"eventId\": \"...\", \"eventType\": \"" + expectedType + "\", \"event\": { \"troubleTicket\": { ... } } }."];
            return (null, errors);
        }
        var eventId = Text(root, "eventId");
        if (string.IsNullOrWhiteSpace(eventId))
        {
            errors["eventId"] = ["required: the event's id, by which a repeated delivery is recognised."];
        }
        else if (eventId.Trim().Length > TroubleTicketFeed.MaxIdLength || eventId.Any(c => char.IsControl(c) || Contracts.Privacy.IsInvisible(c)))
        {
            errors["eventId"] = [$"expected text of 1 to {TroubleTicketFeed.MaxIdLength} visible characters."];
        }
        var eventType = Text(root, "eventType");
        if (eventType is not null && !string.Equals(eventType, expectedType, StringComparison.OrdinalIgnoreCase))
        {
            errors["eventType"] = [$"'{eventType}' sent to the listener of {expectedType}."];
        }
        JsonElement ticket = default;
        if (!root.TryGetProperty("event", out var payload) || payload.ValueKind != JsonValueKind.Object
            || !payload.TryGetProperty("troubleTicket", out ticket) || ticket.ValueKind != JsonValueKind.Object)
        {
            errors[TicketPath] = ["required: the trouble ticket, as an object under \"event\"."];
        }
        return errors.Count > 0 ? (null, errors) : (new TicketEventEnvelope(eventId!.Trim(), eventType, ticket.Clone()), errors);
    }

    /// <summary>The ticket as the contract's complaint (JSON), where each request path came from in the event, and the parts
    /// that contradict one another. A field given by two parts: the same value twice is one; the ticket's own fields (id,
    /// creationDate, channel) come before its characteristics, and characteristics before related entities, so a lower one
    /// never replaces a higher one; two characteristics (or two related entities) that disagree (inArrears true and false)
    /// are refused, neither taken, as a body giving a field twice is.</summary>
    public static (JsonObject Complaint, Dictionary<string, string> Origins, Dictionary<string, string[]> Repeated) ToComplaint(
        JsonElement ticket, TicketMapping mapping)
    {
        var complaint = new JsonObject();
        var origins = new Dictionary<string, string>(StringComparer.Ordinal);
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var repeated = new Dictionary<string, string[]>(StringComparer.Ordinal);
        bool Take(string path, string at, JsonNode? value, int rank)
        {
            if (!origins.TryGetValue(path, out var first))
            {
                ranks[path] = rank;
                return true;
            }
            if (ranks[path] == rank && !JsonNode.DeepEquals(Get(complaint, path), value))
            {
                repeated[at] = [$"gives {path} another value than {first} does: give each field once."];
            }
            return false;
        }
        if (Text(ticket, "id") is { } id)
        {
            complaint["ticketId"] = id;
            origins["ticketId"] = $"{TicketPath}.id";
            ranks["ticketId"] = OwnField;
        }
        if (Text(ticket, "creationDate") is { } created)
        {
            complaint["receivedAt"] = created;
            origins["receivedAt"] = $"{TicketPath}.creationDate";
            ranks["receivedAt"] = OwnField;
        }
        if (ticket.TryGetProperty("channel", out var channel) && channel.ValueKind == JsonValueKind.Object)
        {
            var name = Text(channel, "name") ?? Text(channel, "id");
            if (name is not null)
            {
                var source = mapping.Channels.GetValueOrDefault(name.Trim()) ?? Choice("source", name);
                complaint["source"] = source;
                origins["source"] = $"{TicketPath}.channel";
                ranks["source"] = OwnField;
            }
        }
        if (ticket.TryGetProperty("troubleTicketCharacteristic", out var characteristics) && characteristics.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var characteristic in characteristics.EnumerateArray())
            {
                var at = $"{TicketPath}.troubleTicketCharacteristic[{i++}]";
                if (Text(characteristic, "name") is not { } name || mapping.PathOf(name.Trim()) is not { } path
                    || !characteristic.TryGetProperty("value", out var value))
                {
                    continue; // A characteristic that means no field of the contract: the ticket system has many.
                }
                var node = Value(path, value);
                if (Take(path, $"{at} ({name.Trim()})", node, Characteristic))
                {
                    Set(complaint, path, node);
                    origins[path] = $"{at} ({name.Trim()})";
                }
            }
        }
        if (ticket.TryGetProperty("relatedEntity", out var related) && related.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var entity in related.EnumerateArray())
            {
                var at = $"{TicketPath}.relatedEntity[{i++}]";
                if (Text(entity, "role") is not { } role || !mapping.RelatedEntities.TryGetValue(role.Trim(), out var path)
                    || !entity.TryGetProperty("entity", out var reference) || (Text(reference, "name") ?? Text(reference, "id")) is not { } value)
                {
                    continue;
                }
                var node = Value(path, JsonSerializer.SerializeToElement(value));
                if (Take(path, $"{at} ({role.Trim()})", node, RelatedEntity))
                {
                    Set(complaint, path, node);
                    origins[path] = $"{at} ({role.Trim()})";
                }
            }
        }
        return (complaint, origins, repeated);
    }

    /// <summary>The contract reader's errors, each named by where its value came from in the event.</summary>
    public static Dictionary<string, string[]> Located(IReadOnlyDictionary<string, string[]> errors, IReadOnlyDictionary<string, string> origins) =>
        errors.GroupBy(e => origins.TryGetValue(e.Key, out var origin) ? origin
                : e.Key == "complaintType" ? $"{TicketPath}.troubleTicketCharacteristic" : $"{TicketPath} ({e.Key})", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(e => e.Key == "complaintType" && !origins.ContainsKey(e.Key)
                ? [$"no characteristic gives complaintType: send one named complaintType, or map the ticket system's name to it in rules/{TicketMapping.File}."]
                : e.Value.Select(m => $"{e.Key}: {m}")).ToArray(), StringComparer.Ordinal);

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A characteristic's value as the field's kind wants it: ticket systems send most values as text.</summary>
    private static JsonNode? Value(string path, JsonElement value)
    {
        var type = RequestFields.TypeOf(path);
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!.Trim(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            return JsonNode.Parse(value.GetRawText()); // An object or a list: the contract reader says what it expected.
        }
        if (type == typeof(bool) && bool.TryParse(text, out var flag))
        {
            return flag;
        }
        if ((type == typeof(double) || type == typeof(int) || type == typeof(long) || type == typeof(decimal))
            && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
        {
            return JsonValue.Create(number);
        }
        if (type is { IsEnum: true })
        {
            return Choice(path, text);
        }
        return text;
    }

    /// <summary>A choice in the contract's spelling when the ticket system wrote it in another case; else as written, for the
    /// contract reader to refuse with the choices.</summary>
    private static string Choice(string path, string text) =>
        TablePaths.Find(path)?.Values.Select(v => v.Wire).FirstOrDefault(w => string.Equals(w, text, StringComparison.OrdinalIgnoreCase)) ?? text;

    private const int OwnField = 0, Characteristic = 1, RelatedEntity = 2;

    private static JsonNode? Get(JsonObject complaint, string path) =>
        path.Split('.').Aggregate((JsonNode?)complaint, (node, segment) => node is JsonObject o ? o[segment] : null);

    private static void Set(JsonObject complaint, string path, JsonNode? value)
    {
        var segments = path.Split('.');
        var parent = complaint;
        foreach (var segment in segments[..^1])
        {
            parent = parent[segment] as JsonObject ?? (JsonObject)(parent[segment] = new JsonObject());
        }
        parent[segments[^1]] = value;
    }

    /// <summary>The ticket's confirmed cause: the mapped characteristic, else (resolved) its statusChangeReason; a resolution
    /// code of the mapping, a cause code or a cause's label in any language. A cause given but not one of the catalogue is
    /// the problem, named where it was found, with the code it may have meant.</summary>
    public static (string? Cause, Dictionary<string, string[]>? Unknown) ConfirmedCause(JsonElement ticket, RuleSet rules)
    {
        var mapping = rules.TicketMapping;
        var causes = rules.ConfirmedCauses;
        // A resolution code maps to a catalogue code as written; Resolve gives a code in any case, or a label, as written too.
        string? Code(string given) => given.Length > TroubleTicketFeed.MaxIdLength || given.Any(char.IsControl) ? null
            : (mapping.ResolutionCodes.GetValueOrDefault(given) ?? causes.Resolve(given)) is var code && causes.IsCode(code) ? code : null;
        string? given = null, at = null;
        if (ticket.TryGetProperty("troubleTicketCharacteristic", out var characteristics) && characteristics.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var characteristic in characteristics.EnumerateArray())
            {
                if (string.Equals(Text(characteristic, "name")?.Trim(), mapping.ConfirmedCauseCharacteristic, StringComparison.OrdinalIgnoreCase)
                    && Text(characteristic, "value") is { Length: > 0 } value)
                {
                    if (at is null)
                    {
                        (given, at) = (value.Trim(), $"{TicketPath}.troubleTicketCharacteristic[{i}]");
                    }
                    else if (!string.Equals(given, value.Trim(), StringComparison.Ordinal))
                    {
                        // The same cause twice is one; two that differ are neither.
                        return (null, new() { [$"{TicketPath}.troubleTicketCharacteristic[{i}]"] = [$"a second {mapping.ConfirmedCauseCharacteristic} that {at} contradicts; give the ticket's confirmed cause once."] });
                    }
                }
                i++;
            }
        }
        if (given is null)
        {
            // A reason in words ("assigned to the field team") is no cause: only one that names a cause counts. One written
            // as a cause code is (ACCOUNT_ARREAR): a near miss is refused with the code meant, not dropped without a word.
            if (Text(ticket, "statusChangeReason")?.Trim() is not { Length: > 0 } reason)
            {
                return (null, null);
            }
            if (Code(reason) is { } named)
            {
                return (named, null);
            }
            return reason.Length <= TroubleTicketFeed.MaxIdLength && ConfirmedCauses.IsCodeShaped(reason)
                && causes.Meant(reason) is { } near
                ? (null, new() { [$"{TicketPath}.statusChangeReason"] = [$"'{reason}' is written as a cause code but is none of the rules nor a resolution code of rules/{TicketMapping.File}. Did you mean '{near}'?"] })
                : (null, null);
        }
        if (Code(given) is { } code)
        {
            return (code, null);
        }
        var shown = given.Length > 80 ? given[..80] + "…" : given;
        var meant = given.Length <= TroubleTicketFeed.MaxIdLength ? causes.Meant(given) : null;
        return (null, new() { [at!] = [$"'{shown}' is no cause of the rules nor a resolution code of rules/{TicketMapping.File}." + (meant is null ? "" : $" Did you mean '{meant}'?")] });
    }
}
