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

    /// <summary>A CSV record, its columns set as request paths: read by the one complaint reader, as a JSON Lines line is.</summary>
    private static TicketLine ToTicket(long number, JsonObject obj, LabelCache cache, JsonLabels labels) =>
        Ticket(number, ComplaintReader.Read(JsonSerializer.SerializeToUtf8Bytes(obj), ContractJson.Options, DiagnoseRequestValidation.DefaultMaxTextLength, labels), cache, labels);

    /// <summary>A reader of the decision record's complaints (their request JSON as recorded, cleaned of personal data) with
    /// their ticket's confirmed cause: the one complaint reader, then the value the area look-up gave the rules, if any.</summary>
    public static Func<long, byte[], string, bool?, TicketLine> Recorded()
    {
        var cache = new LabelCache();
        return (number, utf8, cause, similar) =>
        {
            var read = ComplaintReader.Read(utf8, ContractJson.Options, DiagnoseRequestValidation.DefaultMaxTextLength);
            return read.Request is { } request
                ? new TicketLine(number, new HistoricalTicket(number, Decisions.Storage.ReplayRow.AsLookedUp(request, similar), cache.Clean(cause), null), null)
                : Ticket(number, read, cache, new JsonLabels(CauseColumn, RouteColumn));
        };
    }

    /// <summary>A record read with its labels: the ticket, or what the contract says is wrong with it (cleaned for the
    /// console and the reports), or that it names no confirmed cause.</summary>
    private static TicketLine Ticket(long number, ComplaintRead<DiagnoseRequest> read, LabelCache cache, JsonLabels labels) =>
        read.Request is not { } request ? new TicketLine(number, null, Privacy.Clean(string.Join("; ", read.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))))
        : labels[0] is { Length: > 0 } cause ? new TicketLine(number, new HistoricalTicket(number, request, cache.Clean(cause), labels[1] is { Length: > 0 } route ? cache.Clean(route) : null), null)
        : new TicketLine(number, null, $"{CauseColumn} is missing");

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
