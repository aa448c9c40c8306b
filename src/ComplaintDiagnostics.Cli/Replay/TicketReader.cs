using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Rules;
using ComplaintDiagnostics.Core.Tickets;
using CsvHelper;
using CsvHelper.Configuration;

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
internal static class TicketReader
{
    private const string CauseColumn = "confirmedCause";
    private const string RouteColumn = "confirmedRoute";

    public static bool IsCsv(string path) => path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <param name="take">Which tickets to read, by position among the data lines (0-based, blank lines not
    /// counted): a shard's. The others are skipped before they are parsed. Null: all.</param>
    /// <param name="firstLine">The number of the stream's first line in its file (a shard's byte range starts mid-file).</param>
    public static IAsyncEnumerable<TicketLine> ReadAsync(Stream stream, bool csv, CancellationToken cancellationToken, Func<long, bool>? take = null, long firstLine = 1) =>
        csv ? ReadCsvAsync(stream, take, cancellationToken) : ReadJsonLinesAsync(stream, take, firstLine, cancellationToken);

    private static async IAsyncEnumerable<TicketLine> ReadJsonLinesAsync(
        Stream stream, Func<long, bool>? take, long firstLine, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var lines = new Utf8LineReader(stream);
        var labels = new LabelCache();
        var order = new KeyOrder();
        var number = firstLine - 1;
        long position = -1;
        while (await lines.ReadAsync(cancellationToken))
        {
            number++;
            if (lines.TooLong)
            {
                if (take is null || take(++position))
                {
                    yield return new TicketLine(number, null, $"longer than {Utf8LineReader.MaxLineBytes / (1 << 20)} MB", Unreadable: true);
                }
                continue;
            }
            if (Utf8LineReader.IsBlank(lines.Current.Span) || (take is not null && !take(++position)))
            {
                continue;
            }
            yield return ParseLine(number, lines.Current.Span, labels, order);
        }
    }

    private static TicketLine ParseLine(long number, ReadOnlySpan<byte> utf8, LabelCache labels, KeyOrder order)
    {
        // The common case in one pass over the bytes as read, no string and no document built: the request straight
        // into the contract type, the two label columns read by a scan of the top level. Anything unusual (not JSON,
        // not an object, a wrong type, bytes that are not UTF-8) goes the slow way below, which words the problem.
        try
        {
            if (JsonSerializer.Deserialize<DiagnoseRequest>(utf8, ContractJson.Options) is { } request
                && Labels(utf8, labels, order) is (var cause, var route, var misspelt))
            {
                if (misspelt is not null)
                {
                    return new TicketLine(number, null, misspelt);
                }
                if (cause is { Length: > 0 })
                {
                    return Validated(number, request, cause, route is { Length: > 0 } ? route : null);
                }
            }
        }
        catch (JsonException ex) when (ContractJson.DuplicateProperty(ex) is { } twice)
        {
            return new TicketLine(number, null, GivenTwice(twice));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a label's bytes are not UTF-8 (the serializer skipped them unread); it once
            // ended the whole replay. The slow way reads such bytes as a text reader does, as U+FFFD.
        }
        var text = System.Text.Encoding.UTF8.GetString(utf8);
        try
        {
            return JsonNode.Parse(text, documentOptions: ContractJson.NoDuplicates) is JsonObject obj
                ? (Labels(System.Text.Encoding.UTF8.GetBytes(text), labels, order).Misspelt is { } misspelt ? new TicketLine(number, null, misspelt) : ToTicket(number, obj, labels))
                : new TicketLine(number, null, "not a JSON object", Unreadable: true);
        }
        catch (JsonException ex) when (ContractJson.DuplicateProperty(ex) is { } twice)
        {
            return new TicketLine(number, null, GivenTwice(twice));
        }
        catch (JsonException ex)
        {
            return new TicketLine(number, null, "not JSON: " + ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0], Unreadable: true);
        }
    }

    private static async IAsyncEnumerable<TicketLine> ReadCsvAsync(Stream stream, Func<long, bool>? take, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long position = -1;
        var labels = new LabelCache();
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
            yield return error is null ? ToTicket(number, obj, labels) : new TicketLine(number, null, error, swallowed, through);
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

    /// <summary>Whether a multi-line field holds a line with as many commas as a record has separators.</summary>
    private static bool HoldsRecords(string cell, int columns) =>
        cell.Split('\n').Skip(1).Any(line => line.Count(c => c == ',') >= columns - 1);

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

    /// <summary>The top-level <c>confirmedCause</c> and <c>confirmedRoute</c> strings of a JSON object, as
    /// <see cref="Privacy.ForLog"/> cleans them (null where absent or not a string), and the first key that looks like a
    /// misspelt contract name (see <see cref="Misspelt"/>); values other than the labels are skipped unread.</summary>
    private static (string? Cause, string? Route, string? Misspelt) Labels(ReadOnlySpan<byte> utf8, LabelCache labels, KeyOrder order)
    {
        var reader = new Utf8JsonReader(utf8);
        string? cause = null, route = null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (null, null, null);
        }
        for (var position = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; position++)
        {
            var known = KeyNames.Top.IndexOf(ref reader, order.Top, position);
            var holder = known;
            if (known < 0)
            {
                var key = reader.GetString()!;
                if (Misspelt(key, KeyNames.Top, "") is { } misspelt)
                {
                    return (null, null, misspelt);
                }
                // "Location": the serializer reads a name in any case, so the keys inside it are held to the contract
                // as the service holds them (ContractKeys); the labels stay exact.
                holder = KeyNames.Top.IndexOfIgnoringCase(key);
            }
            var isCause = known == KeyNames.CauseIndex;
            var isRoute = known == KeyNames.RouteIndex;
            reader.Read();
            if ((isCause && cause is not null) || (isRoute && route is not null))
            {
                return (null, null, null); // A label given twice: the slow way says so.
            }
            if (reader.TokenType == JsonTokenType.String && (isCause || isRoute))
            {
                (isCause ? ref cause : ref route) = labels.Clean(reader.GetString()!);
            }
            else if (holder >= 0 && reader.TokenType == JsonTokenType.StartObject && KeyNames.Inside[holder] is { } inside)
            {
                for (var inner = 0; reader.Read() && reader.TokenType == JsonTokenType.PropertyName; inner++)
                {
                    if (inside.IndexOf(ref reader, order.Inside[holder], inner) < 0
                        && Misspelt(reader.GetString()!, inside, KeyNames.Top.Names[holder] + ".") is { } nested)
                    {
                        return (null, null, nested);
                    }
                    reader.Read();
                    reader.Skip();
                }
            }
            else
            {
                reader.Skip();
            }
        }
        return (cause, route, null);
    }

    /// <summary>
    /// A key a typo away from one of <paramref name="names"/> (<see cref="ContractKeys"/>: <c>inArrear</c>,
    /// <c>in_arrears</c>) is most likely a mistake in the export: the ticket would be replayed with that field unknown,
    /// and the agreement would drop for a reason nobody sees. The line is refused instead, with the name meant; an
    /// export's own fields (<c>customerName</c>) are ignored, as the service ignores them. CSV headers are held to the
    /// contract's names before the replay starts.
    /// </summary>
    private static string? Misspelt(string key, KeyNames names, string prefix) =>
        ContractKeys.Meant(key, names.Names) is not { } meant ? null
            : $"{Privacy.Clean(prefix + key)}: {ContractKeys.Message(prefix + meant)} The line is skipped rather than replayed with that field unknown.";

    /// <summary>The names a line's keys are held against (<see cref="ContractKeys.Request"/>, with the label columns at
    /// the top), as UTF-8 for the line's own bytes.</summary>
    private sealed class KeyNames
    {
        public static readonly KeyNames Top = new([.. ContractKeys.Request.Names, CauseColumn, RouteColumn]);

        public static readonly int CauseIndex = Array.IndexOf(Top.Names, CauseColumn);
        public static readonly int RouteIndex = Array.IndexOf(Top.Names, RouteColumn);

        /// <summary>By the index of a top-level name: the names inside it, or null for a name that holds a value.</summary>
        public static readonly KeyNames?[] Inside = [.. Top.Names.Select(name => ContractKeys.Request.Inside(name) is { } inner ? new KeyNames([.. inner.Names]) : null)];

        private readonly byte[][] _utf8;

        private KeyNames(string[] names)
        {
            Names = names;
            _utf8 = [.. names.Select(System.Text.Encoding.UTF8.GetBytes)];
        }

        public string[] Names { get; }

        /// <summary>The index of <paramref name="key"/> among the names in any case, or -1 (for a key that was not found
        /// as it is spelt, so off the common path).</summary>
        public int IndexOfIgnoringCase(string key) => Array.FindIndex(Names, n => string.Equals(n, key, StringComparison.OrdinalIgnoreCase));

        /// <summary>The index of the reader's property name among the names (exact case), or -1. The lines of one export
        /// give their keys in one order, so the name found at this <paramref name="position"/> of the last line is tried
        /// first (<paramref name="memo"/>), and a line costs about one comparison per key.</summary>
        public int IndexOf(ref Utf8JsonReader reader, int[] memo, int position)
        {
            if (position < memo.Length && reader.ValueTextEquals(_utf8[memo[position]]))
            {
                return memo[position];
            }
            for (var i = 0; i < _utf8.Length; i++)
            {
                if (reader.ValueTextEquals(_utf8[i]))
                {
                    if (position < memo.Length)
                    {
                        memo[position] = i;
                    }
                    return i;
                }
            }
            return -1;
        }
    }

    /// <summary>Where each key stood in the last line of one reader (see <see cref="KeyNames.IndexOf"/>).</summary>
    private sealed class KeyOrder
    {
        public int[] Top { get; } = new int[32];

        public int[][] Inside { get; } = [.. KeyNames.Inside.Select(_ => new int[16])];
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
