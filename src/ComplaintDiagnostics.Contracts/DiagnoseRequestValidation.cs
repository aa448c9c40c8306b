namespace ComplaintDiagnostics.Contracts;

/// <summary>Checks on a parsed request that JSON types alone cannot express. Shared so that a client can
/// check a work order before sending it.</summary>
public static class DiagnoseRequestValidation
{
    /// <summary>Default longest free text (descriptions, brands, ids): a work order, not a document.</summary>
    public const int DefaultMaxTextLength = 500;

    /// <summary>The earliest <c>receivedAt</c> accepted.</summary>
    public static readonly DateTimeOffset EarliestReceivedAt = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The latest <c>receivedAt</c> accepted: deadlines (up to a year after receipt) must stay representable.</summary>
    public static readonly DateTimeOffset LatestReceivedAt = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What is said of a timestamp outside <see cref="EarliestReceivedAt"/> and <see cref="LatestReceivedAt"/>.</summary>
    public static readonly string OutOfRange =
        FormattableString.Invariant($"must be a time from {EarliestReceivedAt:yyyy-MM-dd} up to (not including) {LatestReceivedAt:yyyy-MM-dd}, with its offset.");

    /// <summary>Errors by request path; empty when the request is acceptable.</summary>
    public static Dictionary<string, string[]> Validate(DiagnoseRequest request, int maxTextLength = DefaultMaxTextLength)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.ComplaintType is null)
        {
            errors["complaintType"] = [$"required; one of: {string.Join(", ", ContractJson.WireNames<ComplaintType>())}."];
        }
        if (request.ReceivedAt is { } received && (received < EarliestReceivedAt || received >= LatestReceivedAt))
        {
            errors["receivedAt"] = [OutOfRange];
        }
        Range(errors, "location.signalBars", request.Location?.SignalBars, 0, 5);
        Range(errors, "location.latitude", request.Location?.Latitude, -90, 90);
        Range(errors, "location.longitude", request.Location?.Longitude, -180, 180);
        Text(errors, "ticketId", request.TicketId, maxTextLength);
        Text(errors, "location.description", request.Location?.Description, maxTextLength);
        Text(errors, "terminal.brand", request.Terminal?.Brand, maxTextLength);
        Text(errors, "customer.msisdn", request.Customer?.Msisdn, maxTextLength);
        return errors;
    }

    private static void Range(Dictionary<string, string[]> errors, string path, double? value, double min, double max)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            errors[path] = [$"must be between {min} and {max}."];
        }
    }

    private static void Text(Dictionary<string, string[]> errors, string path, string? value, int maxLength)
    {
        if (value is { } text && text.Length > maxLength)
        {
            errors[path] = [$"must be at most {maxLength} characters."];
        }
    }
}
