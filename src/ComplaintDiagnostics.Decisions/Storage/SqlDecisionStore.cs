using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// What SQLite and PostgreSQL share: the queries (standard SQL with named parameters and <c>ON CONFLICT</c>, which
/// both read alike). The engines differ in how they keep a time, how they write a large batch, how they create
/// and drop a day's records, and how they migrate.
/// </summary>
public abstract partial class SqlDecisionStore : IDecisionStore, IDisposable
{
    protected const string Columns =
        "d.decision_id, d.recorded_at, d.kind, d.mode, d.ticket_id, d.rules_version, d.release, d.workflow, d.rule, d.cause, d.status, "
        + "d.complaint_type, d.latitude, d.longitude, d.place, d.request, d.answer, d.shadow_of, d.proposal";

    public abstract string Provider { get; }

    public abstract bool Refuses(Exception exception);

    public abstract Task MigrateAsync(CancellationToken cancellationToken);

    public abstract Task WriteAsync(IReadOnlyList<DecisionRecord> decisions, CancellationToken cancellationToken);

    public abstract Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>An open connection.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A time as this engine keeps it.</summary>
    protected abstract object Time(DateTimeOffset time);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    public async Task KeepRuleSetAsync(string version, string filesJson, string? gitCommit, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "INSERT INTO rule_sets (version, stored_at, git_commit, files) VALUES (@version, @at, @commit, @files) ON CONFLICT (version) DO NOTHING",
            ("version", version), ("at", Time(at)), ("commit", (object?)gitCommit ?? DBNull.Value), ("files", filesJson));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<string?> RuleSetAsync(string version, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT files FROM rule_sets WHERE version = @version", ("version", version));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<StoredDecision?> GetAsync(string decisionId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {Columns}, t.confirmed_cause, t.resolved_at, t.received_at, r.git_commit FROM decisions d "
            + "LEFT JOIN tickets t ON t.ticket_id = d.ticket_id LEFT JOIN rule_sets r ON r.version = d.rules_version WHERE d.decision_id = @id",
            ("id", decisionId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadStored(reader) : null;
    }

    public async Task<IReadOnlyList<StoredDecision>> ListAsync(DecisionFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var sql = new StringBuilder($"SELECT {Columns}, t.confirmed_cause, t.resolved_at, t.received_at, r.git_commit FROM decisions d "
            + "LEFT JOIN tickets t ON t.ticket_id = d.ticket_id LEFT JOIN rule_sets r ON r.version = d.rules_version WHERE 1 = 1");
        var parameters = new List<(string, object)>();
        void Where(string clause, string name, object? value)
        {
            if (value is not null)
            {
                sql.Append(" AND ").Append(clause);
                parameters.Add((name, value));
            }
        }
        Where("d.ticket_id = @ticket", "ticket", filter.TicketId);
        Where("d.decision_id >= @from", "from", filter.From is { } from ? DecisionId.Floor(from) : null);
        Where("d.decision_id < @to", "to", filter.To is { } to ? DecisionId.Floor(to) : null);
        Where("d.cause = @cause", "cause", filter.Cause);
        Where("d.rule = @rule", "rule", filter.Rule);
        Where("d.rules_version = @version", "version", filter.RulesVersion);
        Where("d.mode = @mode", "mode", filter.Mode);
        Where("d.decision_id < @after", "after", filter.After);
        sql.Append(" ORDER BY d.decision_id DESC LIMIT @limit");
        parameters.Add(("limit", filter.Limit));
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var items = new List<StoredDecision>();
        while (await reader.ReadAsync(cancellationToken))
        {
            items.Add(ReadStored(reader));
        }
        return items;
    }

    public async Task<IReadOnlySet<string>> KnownTicketsAsync(IReadOnlyCollection<string> ticketIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketIds);
        var known = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT 1 FROM decisions WHERE ticket_id = @ticket LIMIT 1", ("ticket", ""));
        foreach (var ticket in ticketIds.Distinct(StringComparer.Ordinal))
        {
            Set(command, ("ticket", ticket));
            if (await command.ExecuteScalarAsync(cancellationToken) is not null)
            {
                known.Add(ticket);
            }
        }
        return known;
    }

    /// <summary>A live diagnosis since <c>@since</c>.</summary>
    private const string LiveDiagnosis = "d.mode = 'live' AND d.kind = 'diagnose' AND d.decision_id >= @since";

    /// <summary>It is its ticket's latest diagnosis (read from the ticket index alone).</summary>
    private const string Latest =
        "d.decision_id = (SELECT MAX(l.decision_id) FROM decisions l WHERE l.ticket_id = d.ticket_id AND l.mode = 'live' AND l.kind = 'diagnose')";

    /// <summary>It was its ticket's latest diagnosis when the record stood through decision <c>@through</c>.</summary>
    private const string LatestThrough =
        "d.decision_id = (SELECT MAX(l.decision_id) FROM decisions l WHERE l.ticket_id = d.ticket_id AND l.mode = 'live' AND l.kind = 'diagnose' "
        + "AND l.decision_id <= @through) AND d.decision_id <= @through";

    /// <remarks>A ticket counts once, by its latest diagnosis (the work order at its most complete): a ticket diagnosed
    /// "needs info" and then again is judged on the second answer (domain.md v3: "of the tickets its row decided").</remarks>
    public async Task<IReadOnlyList<RuleTally>> TallyAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT d.workflow, d.rule, d.cause, t.confirmed_cause, COUNT(*) FROM decisions d "
            + $"LEFT JOIN tickets t ON t.ticket_id = d.ticket_id WHERE {LiveDiagnosis} AND (d.ticket_id IS NULL OR {Latest}) "
            + "GROUP BY d.workflow, d.rule, d.cause, t.confirmed_cause",
            ("since", DecisionId.Floor(since)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new Dictionary<(string, string, string), (long Hits, Dictionary<string, long> ConfirmedAs)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
            if (!rows.TryGetValue(key, out var row))
            {
                row = (0, new Dictionary<string, long>(StringComparer.Ordinal));
            }
            var count = reader.GetInt64(4);
            if (!reader.IsDBNull(3))
            {
                row.ConfirmedAs[reader.GetString(3)] = count;
            }
            rows[key] = (row.Hits + count, row.ConfirmedAs);
        }
        return [.. rows.Select(r => new RuleTally(r.Key.Item1, r.Key.Item2, r.Key.Item3, r.Value.Hits, r.Value.ConfirmedAs))];
    }

    public async IAsyncEnumerable<ShadowPair> ShadowAsync(string proposal, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT s.decision_id, s.recorded_at, s.ticket_id, s.answer, l.answer, t.confirmed_cause, s.rules_version FROM decisions s "
            + "JOIN decisions l ON l.decision_id = s.shadow_of LEFT JOIN tickets t ON t.ticket_id = s.ticket_id "
            + "WHERE s.mode = 'shadow' AND s.proposal = @proposal ORDER BY s.decision_id DESC LIMIT @limit",
            ("proposal", proposal), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new ShadowPair(reader.GetString(0), ReadTime(reader, 1), NullableString(reader, 2), reader.GetString(3), reader.GetString(4),
                NullableString(reader, 5), reader.GetString(6));
        }
    }

    public async Task<int> EraseTicketAsync(string ticketId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockForErasureAsync(connection, transaction, cancellationToken);
        await using (var tombstone = Command(connection,
            "INSERT INTO erasures (ticket_id, erased_at) VALUES (@ticket, @at) ON CONFLICT (ticket_id) DO UPDATE SET erased_at = "
            + "CASE WHEN excluded.erased_at > erasures.erased_at THEN excluded.erased_at ELSE erasures.erased_at END",
            ("ticket", ticketId), ("at", Time(at))))
        {
            tombstone.Transaction = transaction;
            await tombstone.ExecuteNonQueryAsync(cancellationToken);
        }
        var erased = 0;
        foreach (var table in (string[])["decisions", "outcomes", "tickets", "ticket_events"])
        {
            await using var command = Command(connection, $"DELETE FROM {table} WHERE ticket_id = @ticket", ("ticket", ticketId));
            command.Transaction = transaction;
            var count = await command.ExecuteNonQueryAsync(cancellationToken);
            erased += table == "decisions" ? count : 0;
        }
        await transaction.CommitAsync(cancellationToken);
        AreaChanged(index => index.Erase(ticketId));
        return erased;
    }

    /// <summary>Where several writers share the record: holds their writes of decisions, outcomes and tickets until the
    /// erasure commits, so none checks for the tombstone before it exists and commits after the deletes.</summary>
    protected virtual Task LockForErasureAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deletes outcomes, tickets and ticket-feed events last heard of before <paramref name="before"/>.</summary>
    protected async Task PurgeOutcomesAsync(DbConnection connection, DateTimeOffset before, CancellationToken cancellationToken)
    {
        foreach (var table in (string[])["outcomes", "tickets", "ticket_events"])
        {
            await using var command = Command(connection, $"DELETE FROM {table} WHERE received_at < @before", ("before", Time(before)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        // A tombstone is kept as long as what it erased would have been: a decision it would stop that is older than that is
        // the purge's anyway.
        await using var erasures = Command(connection, "DELETE FROM erasures WHERE erased_at < @before", ("before", Time(before)));
        await erasures.ExecuteNonQueryAsync(cancellationToken);
        AreaChanged(index => index.Purge(before));
    }

    protected StoredDecision ReadStored(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var record = new DecisionRecord(
            reader.GetString(0), reader.GetString(2), reader.GetString(3), ReadTime(reader, 1), NullableString(reader, 4), reader.GetString(5),
            NullableString(reader, 6), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10),
            NullableString(reader, 11), NullableDouble(reader, 12), NullableDouble(reader, 13), NullableString(reader, 14),
            reader.GetString(15), reader.GetString(16)) { ShadowOf = NullableString(reader, 17), Proposal = NullableString(reader, 18) };
        var outcome = reader.IsDBNull(19) ? null
            : new StoredOutcome(reader.GetString(19), reader.IsDBNull(20) ? null : ReadTime(reader, 20), ReadTime(reader, 21));
        return new StoredDecision(record, outcome, NullableString(reader, 22));
    }

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    protected static void Set(DbCommand command, params (string Name, object? Value)[] values)
    {
        ArgumentNullException.ThrowIfNull(command);
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
    }

    protected static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    protected static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);
}
