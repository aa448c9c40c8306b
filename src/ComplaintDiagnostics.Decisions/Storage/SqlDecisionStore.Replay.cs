using System.Data.Common;
using System.Runtime.CompilerServices;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The record read for replay, which both engines share: each ticket's latest diagnosis with its confirmed cause,
/// whole or in parts read side by side.</summary>
public abstract partial class SqlDecisionStore
{
    public async IAsyncEnumerable<ReplayRow> ReplayAsync(DateTimeOffset since, ReplayPart? part, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The latest diagnosis of each ticket with a confirmed cause (the work order at its most complete).
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT d.decision_id, d.ticket_id, d.request, d.cause, t.confirmed_cause, d.similar_looked_up FROM decisions d "
            + "LEFT JOIN tickets t ON t.ticket_id = d.ticket_id WHERE t.confirmed_cause IS NOT NULL AND "
            + (part is null ? $"{LiveDiagnosis} AND {Latest}"
                // Every part reads the record as it stood when it was cut (through its newest decision then), so a ticket
                // diagnosed again meanwhile is neither read twice nor missed.
                : $"{LiveDiagnosis} AND {LatestThrough}"
                    + (part.From is null ? "" : " AND d.decision_id >= @from") + (part.Before is null ? "" : " AND d.decision_id < @before"))
            + " ORDER BY d.decision_id",
            [("since", DecisionId.Floor(since)), .. part is null ? Array.Empty<(string, object)>() : [("through", (object)part.Through)],
                .. part?.From is { } from ? [("from", (object)from)] : Array.Empty<(string, object)>(),
                .. part?.Before is { } before ? [("before", (object)before)] : Array.Empty<(string, object)>()]);
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ReplayRow(reader.GetString(0), NullableString(reader, 1), ReadUtf8(reader, 2), reader.GetString(3), NullableString(reader, 4),
                reader.IsDBNull(5) ? null : reader.GetBoolean(5));
        }
    }

    public async Task<IReadOnlyList<ReplayPart>> SplitAsync(DateTimeOffset since, int parts, CancellationToken cancellationToken)
    {
        // Counted and cut on the primary key alone (every decision, not only the replayed ones: near enough to share the work).
        var floor = DecisionId.Floor(since);
        await using var connection = await OpenAsync(cancellationToken);
        await using var count = Command(connection, "SELECT COUNT(*), MAX(decision_id) FROM decisions WHERE decision_id >= @since", ("since", floor));
        count.CommandTimeout = 0;
        long total;
        string through;
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (total, through) = (reader.GetInt64(0), NullableString(reader, 1) ?? ""); // "": no decision; every part is empty.
        }
        parts = Math.Clamp(parts, 1, 1_000);
        var cuts = new List<(string Id, long Offset)>();
        await using var cut = Command(connection, "SELECT decision_id FROM decisions WHERE decision_id >= @since ORDER BY decision_id LIMIT 1 OFFSET @offset",
            ("since", floor), ("offset", 0L));
        cut.CommandTimeout = 0;
        for (var k = 1; k < parts; k++)
        {
            Set(cut, ("offset", total * k / parts));
            // Past the newest decision of the count (fewer decisions than parts, or some purged since), a cut is the newest:
            // the parts between are empty and the newest is read once, by the last part.
            var id = await cut.ExecuteScalarAsync(cancellationToken) as string;
            id = id is null || string.CompareOrdinal(id, through) > 0 ? through : id;
            cuts.Add((cuts.Count > 0 && string.CompareOrdinal(id, cuts[^1].Id) < 0 ? cuts[^1].Id : id, total * k / parts));
        }
        return [.. Enumerable.Range(0, parts).Select(k => new ReplayPart(k, parts,
            k == 0 ? null : cuts[k - 1].Id, k == parts - 1 ? null : cuts[k].Id, through, k == 0 ? 0 : cuts[k - 1].Offset))];
    }

    /// <summary>A text column as its UTF-8 bytes, which is what a complaint reader reads (a replay reads a million).</summary>
    protected virtual byte[] ReadUtf8(DbDataReader reader, int ordinal) => System.Text.Encoding.UTF8.GetBytes(reader.GetString(ordinal));
}
