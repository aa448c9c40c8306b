using System.Runtime.CompilerServices;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The record's overview (the record page's pictures): each live diagnosis since a time, newest first, with
/// what the pictures need of it, read by both engines with the same SQL.</summary>
public abstract partial class SqlDecisionStore
{
    public async IAsyncEnumerable<OverviewRow> OverviewAsync(DateTimeOffset since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT d.recorded_at, d.cause, d.latitude, d.longitude, d.area_cell, d.place FROM decisions d WHERE {LiveDiagnosis} ORDER BY d.decision_id DESC",
            ("since", DecisionId.Floor(since)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new OverviewRow(ReadTime(reader, 0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetDouble(2),
                reader.IsDBNull(3) ? null : reader.GetDouble(3), reader.IsDBNull(4) ? null : reader.GetInt64(4), NullableString(reader, 5));
        }
    }
}
