using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text;
using System.Text.Unicode;
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
        var cache = new LabelCache();
        var labels = new JsonLabels(CauseColumn, RouteColumn);
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
            yield return ParseLine(number, lines.Current, cache, labels);
        }
    }

    /// <summary>One line: the complaint as the service reads a body (<see cref="ComplaintReader"/>: the same names,
    /// errors and misspelling rule), with the two label columns read beside it in the same pass.</summary>
    private static TicketLine ParseLine(long number, ReadOnlyMemory<byte> utf8, LabelCache cache, JsonLabels labels)
    {
        if (!Utf8.IsValid(utf8.Span))
        {
            // Bytes that are not UTF-8 are read as a text reader reads them, as U+FFFD (they once ended the whole replay).
            utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8.Span));
        }
        var read = ComplaintReader.Read(utf8, ContractJson.Options, DiagnoseRequestValidation.DefaultMaxTextLength, labels);
        return read.Request is null && NotAnObject(utf8.Span) is { } unreadable
            ? new TicketLine(number, null, unreadable, Unreadable: true)
            : Ticket(number, read, cache, labels);
    }

    /// <summary>Why a line is no JSON object at all (counted as unreadable, unlike a complaint the contract refuses), or null.</summary>
    private static string? NotAnObject(ReadOnlySpan<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : "not a JSON object";
        }
        catch (JsonException ex)
        {
            return "not JSON: " + ex.Message.Split(" Path:")[0].Split(" LineNumber:")[0];
        }
    }
}
