using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using DbUp;
using Npgsql;
using NpgsqlTypes;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The store for many replicas: PostgreSQL, decisions partitioned by week of recording (retention drops a week whole;
/// a day's partitions made the area look-up probe thirty of them, at 5 ms a look-up at a million decisions),
/// each batch sent by binary COPY into a transaction-scoped table and moved in with <c>ON CONFLICT DO NOTHING</c>, so a
/// batch sent twice keeps each decision once.
/// </summary>
public sealed partial class PostgresDecisionStore : SqlDecisionStore, IAsyncDisposable
{
    /// <summary>Held while migrating, so replicas that start together migrate one after another.</summary>
    private const long MigrationLock = 0x436f6d706c61696e; // "Complain"

    private readonly string _connectionString;
    private readonly NpgsqlDataSource _source;
    private readonly ConcurrentDictionary<DateOnly, bool> _partitions = new();

    public PostgresDecisionStore(string connectionString)
    {
        _connectionString = connectionString;
        // Statements prepared on first use and kept per connection: the look-up's query on a table of 180 daily
        // partitions cost more to plan than to run.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }
        _source = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Provider => "postgresql";

    // Data exceptions (22), integrity constraints (23) and program limits such as an index entry too large (54).
    public override bool Refuses(Exception exception) =>
        exception is PostgresException { SqlState: [ '2', '2' or '3', ..] or [ '5', '4', ..] };

    public async ValueTask DisposeAsync()
    {
        base.Dispose(disposing: true);
        await _source.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _source.Dispose();
        }
    }

    public override async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock})", connection))
        {
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var result = DeployChanges.To.PostgresqlDatabase(_connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(PostgresDecisionStore).Assembly, name => name.StartsWith("Migrations.Postgres.", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .LogToNowhere()
                .Build()
                .PerformUpgrade();
            if (!result.Successful)
            {
                throw new DecisionStoreException($"the PostgreSQL schema could not be migrated: {result.Error.Message}", result.Error);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand($"SELECT pg_advisory_unlock({MigrationLock})", connection);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public override async Task WriteAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        foreach (var week in decisions.Select(d => WeekOf(d.RecordedAt)).Distinct())
        {
            await EnsurePartitionAsync(connection, week, cancellationToken);
        }
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE decisions_in (LIKE decisions) ON COMMIT DROP", connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY decisions_in (decision_id, recorded_at, kind, mode, ticket_id, rules_version, release, workflow, rule, cause, status, "
            + "complaint_type, latitude, longitude, area_cell, place, similar_looked_up, request, answer, shadow_of, proposal) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var d in decisions)
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(d.DecisionId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz, cancellationToken);
                await copy.WriteAsync(d.Kind, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Mode, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.TicketId, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.RulesVersion, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.Release, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Workflow, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Rule, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Cause, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Status, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.ComplaintType, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.Latitude, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(copy, d.Longitude, NpgsqlDbType.Double, cancellationToken);
                await WriteNullableAsync(copy, AreaGrid.CellOf(d.Latitude, d.Longitude), NpgsqlDbType.Bigint, cancellationToken);
                await WriteNullableAsync(copy, d.Place, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.LookedUpSimilar, NpgsqlDbType.Boolean, cancellationToken);
                await copy.WriteAsync(d.Request, NpgsqlDbType.Text, cancellationToken);
                await copy.WriteAsync(d.Answer, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.ShadowOf, NpgsqlDbType.Text, cancellationToken);
                await WriteNullableAsync(copy, d.Proposal, NpgsqlDbType.Text, cancellationToken);
            }
            await copy.CompleteAsync(cancellationToken);
        }
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using (var move = new NpgsqlCommand(
            $"INSERT INTO decisions ({Moved}, tx) SELECT {Moved}, txid_current() FROM decisions_in i "
            // Not a decision of a ticket erased after it was made (it waited in a queue or a spool meanwhile).
            + "WHERE NOT EXISTS (SELECT 1 FROM erasures e WHERE e.ticket_id = i.ticket_id AND e.erased_at >= i.recorded_at) "
            + "ON CONFLICT DO NOTHING RETURNING decision_id", connection, transaction))
        await using (var reader = await move.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                written.Add(reader.GetString(0));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        AreaChanged(index => index.Add(decisions.Where(d => written.Contains(d.DecisionId))));
    }

    private const string Moved = "decision_id, recorded_at, kind, mode, ticket_id, rules_version, release, workflow, rule, cause, status, complaint_type, latitude, longitude, area_cell, place, similar_looked_up, request, answer, shadow_of, proposal";

    public override async Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long deleted = 0;
        await using var connection = await _source.OpenConnectionAsync(cancellationToken);
        // Dropping a partition locks the whole table: behind a long read (replay --from-store) it would queue every write
        // and look-up behind it. It gives up after a few seconds instead, and the next purge tries again.
        await using (var wait = new NpgsqlCommand("SET lock_timeout = '3s'", connection))
        {
            await wait.ExecuteNonQueryAsync(cancellationToken);
        }
        var partitions = new List<string>();
        await using (var list = new NpgsqlCommand(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            + "WHERE p.relname = 'decisions'", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                partitions.Add(reader.GetString(0));
            }
        }
        var cutoff = WeekOf(before);
        foreach (var name in partitions)
        {
            if (WeekOf(name) is { } day && day.AddDays(7) <= cutoff)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {name}", connection);
                deleted += (long)(await count.ExecuteScalarAsync(cancellationToken))!;
                await using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {name}", connection);
                await drop.ExecuteNonQueryAsync(cancellationToken);
                _partitions.TryRemove(day, out _);
            }
        }
        // What is left before the cut-off lies in the cut-off's own week: deleted row by row.
        await using (var rest = new NpgsqlCommand("DELETE FROM decisions WHERE recorded_at < @before AND recorded_at >= @day", connection))
        {
            rest.Parameters.AddWithValue("before", before.UtcDateTime);
            rest.Parameters.AddWithValue("day", cutoff.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
            deleted += await rest.ExecuteNonQueryAsync(cancellationToken);
        }
        await PurgeOutcomesAsync(connection, before, cancellationToken);
        return deleted;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _source.OpenConnectionAsync(cancellationToken);

    protected override object Time(DateTimeOffset time) => time.UtcDateTime;

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));

    private async Task EnsurePartitionAsync(NpgsqlConnection connection, DateOnly week, CancellationToken cancellationToken)
    {
        if (_partitions.ContainsKey(week))
        {
            return;
        }
        var from = week.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = week.AddDays(7).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await using var create = new NpgsqlCommand(
            $"CREATE TABLE IF NOT EXISTS {PartitionName(week)} PARTITION OF decisions FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')", connection);
        try
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
        {
            // Another replica created it in the same instant.
        }
        _partitions[week] = true;
    }

    /// <summary>The Monday (UTC) that begins the week of <paramref name="time"/>: each partition holds one such week.</summary>
    private static DateOnly WeekOf(DateTimeOffset time)
    {
        var day = DateOnly.FromDateTime(time.UtcDateTime);
        return day.AddDays(-(((int)day.DayOfWeek + 6) % 7));
    }

    private static string PartitionName(DateOnly week) => $"decisions_w{week:yyyyMMdd}";

    private static DateOnly? WeekOf(string partition) =>
        partition.StartsWith("decisions_w", StringComparison.Ordinal)
        && DateOnly.TryParseExact(partition["decisions_w".Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var week)
            ? week : null;

    private static Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken cancellationToken) where T : struct =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);

    private static Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken cancellationToken) =>
        value is { } v ? copy.WriteAsync(v, type, cancellationToken) : copy.WriteNullAsync(cancellationToken);
}
