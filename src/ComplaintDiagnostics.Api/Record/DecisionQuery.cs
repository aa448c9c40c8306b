using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Decisions;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>The decision record's query parameters, read as the contract says and each wrong one named: the list's filters,
/// the erasure's ticket, the performance report's days.</summary>
internal static class DecisionQuery
{
    public const int MaxIdLength = 200;

    /// <summary>A parameter this endpoint does not take is named, not ignored: a misspelt filter (<c>ticket</c>) would
    /// otherwise list, or erase, something else than was meant. Names match in any case, as the query's own do.</summary>
    public static Dictionary<string, string[]> Unknown(IQueryCollection query, string[] keys)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var key in query.Keys.Where(k => !keys.Contains(k, StringComparer.OrdinalIgnoreCase)))
        {
            errors[key] = [$"not a parameter of this call; {(DidYouMean.Closest(key, keys) is { } meant ? $"did you mean {meant}? " : "")}it takes {string.Join(", ", keys)}."];
        }
        return errors;
    }

    /// <summary>A cause as outcomes and replay read one: its code in any case or a label in any language of the rules in
    /// service, filtered on as the code it means; a code as written (CAUSE_CODE) though the rules in service lack it (a cause
    /// removed or renamed since); anything else the rules do not have is named with the code it may have meant.</summary>
    public static string? Cause(string? given, RuleSetHolder holder, Dictionary<string, string[]> errors)
    {
        if (given is null || holder.Current is not { } rules)
        {
            return given;
        }
        var code = rules.ConfirmedCauses.Resolve(given);
        if (rules.ConfirmedCauses.IsCode(code))
        {
            return code;
        }
        // A code the rules in service do not have may still be on record: one a later release removed or renamed (often a
        // near miss of its new name), or a proposal's new cause in its shadow decisions. So a code as written is filtered on.
        if (ConfirmedCauses.IsCodeShaped(given))
        {
            return given;
        }
        var meant = rules.ConfirmedCauses.Meant(given);
        errors["cause"] = [$"'{given}' is no cause of the rules in service." + (meant is not null ? $" Did you mean '{meant}'?" : " GET /api/v1/rules lists the causes.")];
        return null;
    }

    /// <summary>A ticket id as the record keeps it: any text a diagnose accepts (up to its length), with the control
    /// characters its column replaces replaced the same way, so every recorded ticket can be listed and erased.</summary>
    public static string? TicketId(IQueryCollection query, Dictionary<string, string[]> errors, int maxLength)
    {
        if (!query.TryGetValue("ticketId", out var values))
        {
            return null;
        }
        if (values.Count != 1 || AsRecorded(values[0], maxLength) is not { } ticketId)
        {
            errors["ticketId"] = [$"give it once, as text of 1 to {maxLength} characters."];
            return null;
        }
        return ticketId;
    }

    /// <summary>A ticket id as given (a query, an outcome) as the record keeps it, or null when no diagnose would take it.</summary>
    public static string? AsRecorded(string? ticketId, int maxLength) =>
        ticketId is { Length: > 0 } given && given.Length <= maxLength ? RecordedJson.Column(given) : null;

    /// <summary>How many days back a report reads: a whole number from 1 to <paramref name="most"/>, 30 when not given.</summary>
    public static int Days(IQueryCollection query, Dictionary<string, string[]> errors, int most)
    {
        var days = 30;
        if (Text(query, "days", errors) is { } text
            && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out days) || days < 1 || days > most))
        {
            errors["days"] = [$"must be a whole number of days from 1 to {most}."];
        }
        return days;
    }

    public static string? Text(IQueryCollection query, string key, Dictionary<string, string[]> errors)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return null;
        }
        if (values.Count != 1 || string.IsNullOrWhiteSpace(values[0]) || values[0]!.Length > MaxIdLength)
        {
            errors[key] = [$"give it once, as text of 1 to {MaxIdLength} characters."];
            return null;
        }
        return values[0];
    }

    public static DateTimeOffset? Time(IQueryCollection query, string key, Dictionary<string, string[]> errors)
    {
        if (Text(query, key, errors) is not { } text)
        {
            return null;
        }
        // A '+' left unencoded in a query reads as a space: 2026-12-01T00:00:00 08:00 is the offset +08:00 (and " 0800", +0800).
        var space = text.LastIndexOf(' ');
        if (space > 0 && text.Length - space is 5 or 6)
        {
            text = $"{text[..space]}+{text[(space + 1)..]}";
        }
        if (ContractJson.TryParseTimestamp(text, out var time))
        {
            return time;
        }
        errors[key] = ["expected an ISO-8601 time with its offset, e.g. 2026-12-01T00:00:00+08:00 (its + sent as %2B)."];
        return null;
    }
}
