using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ComplaintDiagnostics.Contracts;
using ComplaintDiagnostics.Core.Tickets;

namespace ComplaintDiagnostics.Cli.Replay;

/// <summary>JSON Lines: a diagnose request plus the labels per line, read from the bytes in one pass where it can be.</summary>
internal static partial class TicketReader
{
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
}
