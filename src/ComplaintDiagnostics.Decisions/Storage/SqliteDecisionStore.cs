using System.Data.Common;
using DbUp;
using Microsoft.Data.Sqlite;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The embedded store: one SQLite file in write-ahead-log mode (readers never wait for the writer), times as Unix
/// milliseconds. Purging deletes in batches of <see cref="PurgeBatch"/> rows, each its own short transaction, so the
/// recorder's writes never wait long behind it.
/// </summary>
public sealed partial class SqliteDecisionStore(string connectionString) : SqlDecisionStore
{
    private readonly SqliteLookupReaders _lookups = new(connectionString);
    private readonly string _writerConnectionString = WriterConnectionString(connectionString);

    private const int PurgeBatch = 500;


    public override string Provider => "sqlite";

    // SQLITE_TOOBIG (18), SQLITE_CONSTRAINT (19), SQLITE_MISMATCH (20).
    public override bool Refuses(Exception exception) => exception is SqliteException { SqliteErrorCode: 18 or 19 or 20 };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _lookups.Dispose();
        }
    }

    /// <summary>The look-up in SQL on kept read connections with prepared queries (<see cref="SqliteLookupReaders"/>).</summary>
    protected override Task<IReadOnlyList<AreaNeighbour>> NearInSqlCoreAsync(AreaQuery query, CancellationToken cancellationToken) =>
        Task.FromResult(_lookups.Near(this, query));

    // Deferred: a plain BEGIN is IMMEDIATE in Microsoft.Data.Sqlite and would hold the writer for the whole read.
    protected override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    /// <summary>The database file (for status and for the privacy tests that read it byte for byte).</summary>
    public string? FilePath { get; } = new SqliteConnectionStringBuilder(connectionString).DataSource;

    public override Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(FilePath ?? "x")) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            using var wal = connection.CreateCommand();
            wal.CommandText = "PRAGMA journal_mode = WAL";
            wal.ExecuteNonQuery();
        }
        var result = DeployChanges.To.SqliteDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(SqliteDecisionStore).Assembly, name => name.StartsWith("Migrations.Sqlite.", StringComparison.Ordinal))
            .WithTransactionPerScript()
            .LogToNowhere()
            .Build()
            .PerformUpgrade();
        return result.Successful ? Task.CompletedTask : throw new DecisionStoreException($"the SQLite schema could not be migrated: {result.Error.Message}", result.Error);
    }

    public override async Task WriteAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        await using var connection = new SqliteConnection(_writerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragmas = connection.CreateCommand())
        {
            // In write-ahead-log mode NORMAL syncs at checkpoints only: a power cut may lose the last commits, never the file.
            // A batch's pages stay in a cache of 64 MB until it commits: with SQLite's default of 2 MB a batch of a few
            // thousand decisions spilled to the log and was read back (the writer's CPU per decision 82 -> 43-49 us).
            pragmas.CommandText = "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.CommandText =
            "INSERT INTO decisions (decision_id, recorded_at, kind, mode, ticket_id, rules_version, release, workflow, rule, cause, status, "
            + "complaint_type, latitude, longitude, area_cell, place, similar_looked_up, request, answer, shadow_of, proposal) SELECT @id, @at, @kind, @mode, "
            + "@ticket, @version, @release, @workflow, @rule, @cause, @status, @type, @lat, @lon, @cell, @place, @similar, @request, @answer, @shadowOf, @proposal "
            // Not a decision of a ticket erased after it was made (it waited in the queue or the spool meanwhile).
            + "WHERE NOT EXISTS (SELECT 1 FROM erasures e WHERE e.ticket_id = @ticket AND e.erased_at >= @at) "
            + "ON CONFLICT (decision_id) DO NOTHING";
        // Named as the statement names them and set by position: the provider then finds each at once (a name without its
        // prefix is searched under three, and a value set by name is searched for among all; a tenth of the writer's time).
        var values = new SqliteParameter[21];
        var names = "id at kind mode ticket version release workflow rule cause status type lat lon cell place similar request answer shadowOf proposal".Split(' ');
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = command.Parameters.Add(new SqliteParameter("@" + names[i], DBNull.Value));
        }
        command.Transaction = transaction;
        command.Prepare();
        var written = new List<DecisionRecord>(decisions.Count);
        foreach (var d in decisions)
        {
            object?[] row = [d.DecisionId, d.RecordedAt.ToUnixTimeMilliseconds(), d.Kind, d.Mode, d.TicketId, d.RulesVersion, d.Release, d.Workflow, d.Rule,
                d.Cause, d.Status, d.ComplaintType, d.Latitude, d.Longitude, AreaGrid.CellOf(d.Latitude, d.Longitude), d.Place, d.LookedUpSimilar,
                d.Request, d.Answer, d.ShadowOf, d.Proposal];
            for (var i = 0; i < row.Length; i++)
            {
                values[i].Value = row[i] ?? DBNull.Value;
            }
            if (await command.ExecuteNonQueryAsync(cancellationToken) > 0)
            {
                written.Add(d);
            }
        }
        await transaction.CommitAsync(cancellationToken);
        AreaChanged(index => index.Add(written));
    }

    /// <summary>The writer's connections come from a pool of their own (the provider pools by the connection string's
    /// text), so no other operation takes one with the writer's settings; clearing the pools still reaches them.</summary>
    private static string WriterConnectionString(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (!builder.Pooling)
        {
            return connectionString; // Nothing is shared without a pool.
        }
        var writer = builder.ToString();
        return writer != connectionString ? writer : writer + ";Pooling=True";
    }

    public override async Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        long deleted = 0;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"DELETE FROM decisions WHERE rowid IN (SELECT rowid FROM decisions WHERE decision_id < @before LIMIT {PurgeBatch})",
            ("before", DecisionId.Floor(before)));
        int count;
        do
        {
            count = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += count;
            if (count == PurgeBatch)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken); // Let a waiting writer in.
            }
        }
        while (count == PurgeBatch);
        await PurgeOutcomesAsync(connection, before, cancellationToken);
        return deleted;
    }

    // A connection waits up to its command timeout (30 s) for a lock the writer or the purge holds.
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    protected override object Time(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    // SQLite keeps text as UTF-8 and hands it over as it is, without a string in between.
    protected override byte[] ReadUtf8(DbDataReader reader, int ordinal) => reader.GetFieldValue<byte[]>(ordinal);

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));
}

/// <summary>The store refused or failed an operation in a way worth a sentence (a migration that failed, a bad setting).</summary>
public sealed class DecisionStoreException(string message, Exception? inner = null) : Exception(message, inner);
