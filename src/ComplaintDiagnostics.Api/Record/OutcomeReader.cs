using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ComplaintDiagnostics.Core.Rules;

namespace ComplaintDiagnostics.Api.Record;

/// <summary>The body of <c>POST /api/v1/outcomes</c> read item by item: every wrong field named by its path
/// (<c>[3].confirmedCause</c>), an unknown one with the field meant, so one bad item does not hide the others.</summary>
internal static class OutcomeReader
{
    /// <param name="maxTicketIdLength">The longest ticket id a diagnose takes: every ticket on record can be confirmed.</param>
    /// <param name="now">A resolution later than this (beyond the clocks' allowed skew) is refused: it would rank above every
    /// outcome the ticket gets afterwards.</param>
    public static (List<OutcomeInput> Outcomes, Dictionary<string, string[]> Errors) Read(JsonElement array, int maxIdLength, int maxTicketIdLength, DateTimeOffset now)
    {
        var outcomes = new List<OutcomeInput>();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[at] = ["expected an object { ticketId, confirmedCause, resolvedAt?, eventId? }."];
                continue;
            }
            string? ticketId = null, cause = null, eventId = null;
            DateTimeOffset? resolvedAt = null;
            foreach (var property in item.EnumerateObject())
            {
                var path = $"{at}.{property.Name}";
                switch (property.Name)
                {
                    case "ticketId":
                        // As the record keeps it (control characters replaced as in its column), so it meets its decisions.
                        ticketId = (property.Value.ValueKind == JsonValueKind.String ? DecisionQuery.AsRecorded(property.Value.GetString(), maxTicketIdLength) : null)
                            ?? Error<string>(errors, path, $"the ticket's id as its diagnose gave it (text of 1 to {maxTicketIdLength} characters).");
                        break;
                    case "eventId":
                        eventId = Identifier(property.Value, path, errors, maxIdLength);
                        break;
                    case "confirmedCause":
                        cause = property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } c && c.Length <= maxIdLength && !string.IsNullOrWhiteSpace(c)
                            ? c : Error<string>(errors, path, $"a cause code or label (text of 1 to {maxIdLength} characters).");
                        break;
                    case "resolvedAt":
                        resolvedAt = property.Value.ValueKind == JsonValueKind.Null ? null
                            : property.Value.ValueKind == JsonValueKind.String && Contracts.ContractJson.TryParseTimestamp(property.Value.GetString(), out var resolved)
                                ? resolved <= now + Contracts.FollowUpRequestValidation.ClockSkew ? resolved
                                    : Error<DateTimeOffset?>(errors, path, $"a time that has come: {property.Value.GetString()} is later than now (clocks {Contracts.FollowUpRequestValidation.ClockSkew.TotalMinutes:0} minutes apart are accepted).")
                            : Error<DateTimeOffset?>(errors, path, "an ISO-8601 time with its offset, e.g. 2026-12-01T10:00:00+08:00.");
                        break;
                    default:
                        errors[path] = [$"not a field of an outcome; {DidYouMeanSuffix(property.Name)}"];
                        break;
                }
            }
            if (ticketId is null && !errors.Keys.Any(k => k.StartsWith($"{at}.ticketId", StringComparison.Ordinal)))
            {
                errors[$"{at}.ticketId"] = ["required."];
            }
            if (cause is null && !errors.ContainsKey($"{at}.confirmedCause"))
            {
                errors[$"{at}.confirmedCause"] = ["required."];
            }
            outcomes.Add(new OutcomeInput(ticketId, cause, resolvedAt, eventId));
        }
        return (outcomes, errors);
    }

    private static string DidYouMeanSuffix(string name) =>
        DidYouMean.Closest(name, OutcomeFields) is { } meant ? $"did you mean {meant}?" : $"the fields are {string.Join(", ", OutcomeFields)}.";

    private static readonly string[] OutcomeFields = ["ticketId", "confirmedCause", "resolvedAt", "eventId"];

    private static string? Identifier(JsonElement value, string path, Dictionary<string, string[]> errors, int maxIdLength) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Length <= maxIdLength && !string.IsNullOrWhiteSpace(text)
            && !text.Any(c => char.IsControl(c) || Contracts.Privacy.IsInvisible(c))
            ? text : Error<string>(errors, path, $"text of 1 to {maxIdLength} visible characters.");

    private static T? Error<T>(Dictionary<string, string[]> errors, string path, string message)
    {
        errors[path] = [$"expected {message}"];
        return default;
    }

    /// <summary>An outcome sent without an event id is identified by what it says: the same cause and time twice is one event.</summary>
    public static string ContentEventId(string cause, DateTimeOffset? resolvedAt) =>
        "content:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{cause}\n{resolvedAt?.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)}")))[..24];
}

/// <summary>One outcome as posted.</summary>
internal sealed record OutcomeInput(string? TicketId, string? ConfirmedCause, DateTimeOffset? ResolvedAt, string? EventId);
