using System.Runtime.CompilerServices;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The record's overview (the record page's pictures): each complaint since a time by its ticket's latest live
/// diagnosis (as performance counts tickets: a needs-info answer followed by a diagnosis is one complaint), newest first,
/// at most <c>limit</c>, with what the pictures need of it, read by both engines with the same SQL.</summary>
public abstract partial class SqlDecisionStore
{
    public async IAsyncEnumerable<OverviewRow> OverviewAsync(DateTimeOffset since, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT d.recorded_at, d.cause, d.latitude, d.longitude, d.area_cell, d.place FROM decisions d "
            + $"WHERE {LiveDiagnosis} AND (d.ticket_id IS NULL OR {Latest}) ORDER BY d.decision_id DESC LIMIT @limit",
            ("since", DecisionId.Floor(since)), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new OverviewRow(ReadTime(reader, 0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), NullableString(reader, 5));
        }
    }
}
