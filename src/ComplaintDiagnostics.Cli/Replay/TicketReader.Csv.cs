using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using CsvHelper;
using CsvHelper.Configuration;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>CSV: a header of request paths, a record per ticket; quoting errors that run lines together are named.</summary>
internal static partial class TicketReader
{
    private static async IAsyncEnumerable<TicketLine> ReadCsvAsync(Stream stream, Func<long, bool>? take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long position = -1;
        var cache = new LabelCache();
        var labels = new JsonLabels(CauseColumn, RouteColumn);
        using var reader = new StreamReader(stream, leaveOpen: true);
        string? badData = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            BadDataFound = args => badData = "a quote inside a field that is not quoted: " + Privacy.ForLog(args.Field),
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            // A quote never closed reads the rest of the file as one field: bounded, it stops the replay instead.
            MaxFieldSize = MaxFieldChars,
        };
        using var csv = new CsvReader(reader, config);
        if (!await ReadRecordAsync(csv, 0) || !csv.ReadHeader() || csv.HeaderRecord is not { } header)
        {
            yield break;
        }
        var unknown = header.Where(h => h != CauseColumn && h != RouteColumn && !RequestFields.Exists(h)).ToList();
        if (unknown.Count > 0)
        {
            var columns = RequestFields.Paths.Append(CauseColumn).Append(RouteColumn).ToList();
            // A header of thousands of columns (a sheet exported whole) is named by its first few, not in megabytes.
            throw new InvalidDataException($"CSV header names {unknown.Count:N0} column(s) that are not request fields: "
                + string.Join(", ", unknown.Take(ListedColumns).Select(u => Privacy.ForLog(u)).Select(u => DidYouMean.Closest(u, columns) is { } meant ? $"{u} (did you mean '{meant}'?)" : u))
                + (unknown.Count > ListedColumns ? $", and {unknown.Count - ListedColumns:N0} more" : "") + ".");
        }
        var twice = header.GroupBy(h => h, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (twice.Count > 0)
        {
            throw new InvalidDataException($"CSV header names columns more than once: {string.Join(", ", twice)}; each column may appear once.");
        }
        var lastLine = csv.Parser.RawRow;
        while (await ReadRecordAsync(csv, lastLine))
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A record's first physical line is the one after the previous record's last; a quoted field may span several.
            var number = lastLine + 1;
            var through = lastLine = csv.Parser.RawRow;
            if (take is not null && !take(++position))
            {
                badData = null;
                continue;
            }
            if (badData is not null || csv.Parser.Count != header.Length)
            {
                var why = badData ?? $"expected {header.Length} fields, found {csv.Parser.Count}";
                badData = null;
                yield return new TicketLine(number, null, through > number ? QuotingError(number, through, why) : why, Unreadable: true, through);
                continue;
            }
            var obj = new JsonObject();
            string? error = null;
            var swallowed = false;
            for (var i = 0; i < header.Length && error is null; i++)
            {
                var cell = csv.GetField(i);
                if (through > number && cell is not null && HoldsRecords(cell, header.Length))
                {
                    // The right number of fields, but one holds whole lines of records: a stray quote swallowed them.
                    error = QuotingError(number, through, $"the field {header[i]} holds lines that read as records");
                    swallowed = true;
                }
                else if (!string.IsNullOrEmpty(cell))
                {
                    error = Set(obj, header[i], cell);
                }
            }
            yield return error is null ? ToTicket(number, obj, cache, labels) : new TicketLine(number, null, error, swallowed, through);
        }
    }

    /// <summary>The longest CSV field read (in characters): a description is a few hundred.</summary>
    public const int MaxFieldChars = 1 << 20;

    /// <summary>How many unknown CSV columns an error names.</summary>
    private const int ListedColumns = 10;

    private static async Task<bool> ReadRecordAsync(CsvReader csv, long lastLine)
    {
        try
        {
            return await csv.ReadAsync();
        }
        catch (MaxFieldSizeException)
        {
            throw new InvalidDataException($"a field that starts at or after line {lastLine + 1:N0} is longer than {MaxFieldChars / (1 << 20)} M characters: "
                + "a quote that is never closed takes the rest of the file with it. Fix the quoting there (a field with a quote must be quoted, its quotes doubled).");
        }
        catch (CsvHelperException ex) when (ex is not MaxFieldSizeException)
        {
            throw new InvalidDataException($"the CSV cannot be read past line {lastLine:N0}: {Privacy.Clean(ex.Message.Split(Environment.NewLine)[0])}");
        }
    }

    private static string QuotingError(long from, long through, string why) =>
        $"a quoting error: lines {from:N0}–{through:N0} read as one record ({why}); a quote opened on line {from:N0} is probably never closed as meant";

    /// <summary>Whether a multi-line field holds a record's worth of separators: a stray quote took the rest of one line
    /// and the start of the next (or more) into one field. A description with a line break holds a few commas, not 34.</summary>
    private static bool HoldsRecords(string cell, int columns) =>
        cell.Contains('\n', StringComparison.Ordinal) && cell.Count(c => c == ',') >= columns - 1;

    /// <summary>Places a CSV cell at its request path, typed as the contract expects; an error when it cannot be.</summary>
    private static string? Set(JsonObject root, string path, string cell)
    {
        var type = path is CauseColumn or RouteColumn ? typeof(string) : RequestFields.TypeOf(path)!;
        JsonNode? value;
        if (type == typeof(bool))
        {
            if (!bool.TryParse(cell, out var b))
            {
                return $"{path}: '{cell}' is not true or false";
            }
            value = b;
        }
        else if (type == typeof(int) || type == typeof(double))
        {
            // "1e999", "Infinity" and "NaN" parse as doubles but are no JSON number (nor a latitude).
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d))
            {
                return $"{path}: '{cell}' is not a number";
            }
            value = type == typeof(int) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue ? JsonValue.Create((long)d) : JsonValue.Create(d);
        }
        else
        {
            value = cell;
        }
        var segments = path.Split('.');
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = (parent[segment] ??= new JsonObject()).AsObject();
        }
        parent[segments[^1]] = value;
        return null;
    }
}
