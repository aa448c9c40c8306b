using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>A historical ticket: the request as the front desk sent it, and the cause finally confirmed.</summary>
internal sealed record HistoricalTicket(long Line, DiagnoseRequest Request, string ConfirmedCause, string? ConfirmedRoute);

/// <summary>One input record: a ticket, or why it could not be read.</summary>
/// <param name="Unreadable">The record could not be read as a record at all (not JSON; a CSV quoting error, which may
/// take several lines with it): counted against <c>--max-unreadable-percent</c>, unlike a record that reads but holds a
/// value the contract refuses.</param>
/// <param name="Through">The record's last physical line, when it spans more than <paramref name="Line"/>.</param>
internal sealed record TicketLine(long Line, HistoricalTicket? Ticket, string? Error, bool Unreadable = false, long Through = 0)
{
    /// <summary>The physical lines the record took.</summary>
    public long PhysicalLines => Math.Max(1, Through - Line + 1);
}

/// <summary>
/// Streams historical tickets from JSON Lines (a diagnose request plus <c>confirmedCause</c>, optionally
/// <c>confirmedRoute</c>) or CSV (a header of request paths such as <c>frontDeskChecks.restarted</c>, plus
/// <c>confirmedCause</c>). One line at a time, so a file of millions runs in constant memory; a line that
/// cannot be read is reported with its number and skipped.
/// </summary>
internal static partial class TicketReader
{
    private const string CauseColumn = "confirmedCause";
    private const string RouteColumn = "confirmedRoute";

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <param name="take">Which tickets to read, by position among the data lines (0-based, blank lines not
    /// counted): a shard's. The others are skipped before they are parsed. Null: all.</param>
    /// <param name="firstLine">The number of the stream's first line in its file (a shard's byte range starts mid-file).</param>
    public static IAsyncEnumerable<TicketLine> ReadAsync(Stream stream, bool csv, CancellationToken cancellationToken, Func<long, bool>? take = null, long firstLine = 1) =>
        csv ? ReadCsvAsync(stream, take, cancellationToken) : ReadJsonLinesAsync(stream, take, firstLine, cancellationToken);

    private static TicketLine ToTicket(long number, JsonObject obj, LabelCache labels)
    {
        // Codes from a file, printed to a console and written to reports: no control characters, no numbers in full.
        var cause = obj[CauseColumn] is JsonValue c && c.TryGetValue<string>(out var text) && text.Length > 0 ? labels.Clean(text) : null;
        var route = obj[RouteColumn] is JsonValue r && r.TryGetValue<string>(out var routeText) && routeText.Length > 0 ? labels.Clean(routeText) : null;
        if (cause is null)
        {
            return new TicketLine(number, null, "confirmedCause is missing");
        }
        DiagnoseRequest request;
        try
        {
            request = obj.Deserialize<DiagnoseRequest>(ContractJson.Options)!;
        }
        catch (JsonException ex)
        {
            var (path, message) = ContractErrors.Describe(ex);
            return new TicketLine(number, null, Privacy.Clean($"{path}: {message}"));
        }
        return Validated(number, request, cause, route);
    }

    /// <summary>A property given twice (in any case) is ambiguous: the line is refused rather than one value guessed at,
    /// worded as the service words it.</summary>
    private static string GivenTwice(string path) => $"{Privacy.Clean(path)}: {ContractJson.GivenTwice}";

    private static TicketLine Validated(long number, DiagnoseRequest request, string cause, string? route)
    {
        var errors = DiagnoseRequestValidation.Validate(request);
        return errors.Count > 0
            ? new TicketLine(number, null, Privacy.Clean(string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))))
            : new TicketLine(number, new HistoricalTicket(number, request, cause, route), null);
    }

    /// <summary>A history names a few dozen causes and routes a million times: each is cleaned for the console and
    /// the reports (<see cref="Privacy.ForLog"/>) once, and every ticket that names it shares the one string. Every
    /// way a label is read (JSON Lines, CSV) goes through here.</summary>
    private sealed class LabelCache
    {
        private const int MaxKept = 4096;
        private readonly Dictionary<string, string> _cleaned = new(StringComparer.Ordinal);

        public string Clean(string label)
        {
            if (_cleaned.TryGetValue(label, out var cleaned))
            {
                return cleaned;
            }
            cleaned = Privacy.ForLog(label);
            if (_cleaned.Count < MaxKept)
            {
                _cleaned[label] = cleaned;
            }
            return cleaned;
        }
    }
}
