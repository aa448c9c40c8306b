using System.Data;
using System.Data.Common;
using Npgsql;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The area look-up on PostgreSQL: replicas share the record, so each one's index also takes what the others store,
/// read every second by transaction id (migration 0007): the rows stored by transactions below the oldest one still
/// running, from where the last read stopped, so each row is read once and none that commits late is skipped.
/// </summary>
public sealed partial class PostgresDecisionStore
{
    // Writes take ROW EXCLUSIVE, which SHARE ROW EXCLUSIVE waits for and then holds off: an erasure is rare and brief. In
    // this order everywhere (decisions, outcomes, tickets), so two erasures never wait on each other crosswise.
    protected override async Task LockForErasureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("LOCK TABLE decisions, outcomes, tickets IN SHARE ROW EXCLUSIVE MODE",
            (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead);

    protected override async Task<AreaChanges?> ReadOthersAsync(DbConnection connection, DbTransaction? snapshot, object? after, CancellationToken cancellationToken)
    {
        // Below the horizon, every transaction has committed or aborted: what it stored is there to read, once. The txid_*
        // functions give bigint (with the epoch); their pg_* successors give xid8, which Npgsql reads as ulong.
        long horizon;
        await using (var clock = new NpgsqlCommand("SELECT txid_snapshot_xmin(txid_current_snapshot())", (NpgsqlConnection)connection, (NpgsqlTransaction?)snapshot))
        {
            horizon = (long)(await clock.ExecuteScalarAsync(cancellationToken))!;
        }
        if (after is not long from)
        {
            return new AreaChanges([], [], [], horizon); // The window's read: the changes start from its horizon.
        }
        var decisions = new List<LocatedDecision>();
        var confirmed = new List<(string, string, DateTimeOffset)>();
        var erased = new List<string>();
        await using (var read = Command(connection,
            "SELECT decision_id, ticket_id, latitude, longitude, place, recorded_at, complaint_type FROM decisions WHERE tx >= @from AND tx < @horizon "
            + "AND mode = 'live' AND kind = 'diagnose' AND (area_cell IS NOT NULL OR place IS NOT NULL)",
            ("from", from), ("horizon", horizon)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                decisions.Add(new LocatedDecision(reader.GetString(0), NullableString(reader, 1), NullableDouble(reader, 2), NullableDouble(reader, 3),
                    NullableString(reader, 4), ReadTime(reader, 5).ToUnixTimeMilliseconds(), NullableString(reader, 6)));
            }
        }
        await using (var read = Command(connection, "SELECT ticket_id, confirmed_cause, received_at FROM tickets WHERE tx >= @from AND tx < @horizon",
            ("from", from), ("horizon", horizon)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                confirmed.Add((reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)));
            }
        }
        await using (var read = Command(connection, "SELECT ticket_id FROM erasures WHERE tx >= @from AND tx < @horizon", ("from", from), ("horizon", horizon)))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                erased.Add(reader.GetString(0));
            }
        }
        return new AreaChanges(decisions, confirmed, erased, horizon);
    }
}
