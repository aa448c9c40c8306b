using Microsoft.Data.Sqlite;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The area look-up on SQLite, on the request path of every voice complaint that leaves the area's history unknown:
/// answered from memory (<see cref="AreaIndex"/>), which this store keeps as it writes, since this process writes every
/// decision of its file. The first query (or one reaching further back than the window held) has the window read in the
/// background and is answered in SQL meanwhile (<see cref="SqliteLookupReaders"/>), as is every query until it is read.
/// </summary>
public sealed partial class SqliteDecisionStore
{
    private readonly Lock _areaLoad = new();
    // The index in service (null: none yet, or it could not be kept up to date and is read again).
    private volatile AreaIndex? _area;
    // While a window is read: what the store writes meanwhile, applied to the new index before it serves (the index takes
    // a decision twice as once). Null when no read is under way.
    private List<Action<AreaIndex>>? _areaPending;
    private bool _areaPendingLost;
    private Task? _areaLoading;
    // Outcomes one call at a time, so that their causes read back reach the index in the order they were stored.
    private readonly SemaphoreSlim _outcomes = new(1, 1);

    /// <summary>The area look-up: from memory once the window is read, in SQL until then.</summary>
    public override Task<IReadOnlyList<AreaNeighbour>> NearAsync(AreaQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (NearInMemory(query) is { } found)
        {
            return Task.FromResult(found);
        }
        _ = LoadAreaAsync(query.Since - TimeSpan.FromDays(1));
        return Task.FromResult(NearInSql(query));
    }

    /// <summary>The look-up in SQL, as it is answered until the window is read (and by the tests, against memory).</summary>
    internal IReadOnlyList<AreaNeighbour> NearInSql(AreaQuery query) => Newest(_lookups.Near(this, query), query);

    /// <summary>The look-up from memory, or null when there is no index yet or its window does not cover the query.</summary>
    internal IReadOnlyList<AreaNeighbour>? NearInMemory(AreaQuery query) => _area is { } area && area.TryNear(query, out var found) ? Newest(found, query) : null;

    /// <summary>Reads the located live diagnoses since <paramref name="from"/> and their tickets' confirmed causes into a new
    /// index, which then replaces the one in service (at the first look-up, or when the rule set looks further back); a
    /// read already under way is waited for instead. A read that fails leaves things as they were; the next look-up tries
    /// again.</summary>
    public Task LoadAreaAsync(DateTimeOffset from)
    {
        lock (_areaLoad)
        {
            if (_areaPending is not null)
            {
                return _areaLoading ?? Task.CompletedTask;
            }
            _areaPending = [];
            _areaPendingLost = false;
            return _areaLoading = Task.Run(() => ReadAreaAsync(from));
        }
    }

    private async Task ReadAreaAsync(DateTimeOffset from)
    {
        AreaIndex? index = null;
        try
        {
            var decisions = new List<LocatedDecision>();
            var confirmed = new List<(string, string, DateTimeOffset)>();
            await using (var connection = (SqliteConnection)await OpenAsync(CancellationToken.None))
            {
                // One snapshot for both reads; deferred, so the writer is never held up by it (a plain BEGIN here is IMMEDIATE).
                using var transaction = connection.BeginTransaction(deferred: true);
                await using (var command = Command(connection,
                    "SELECT decision_id, ticket_id, latitude, longitude, place, recorded_at, complaint_type FROM decisions "
                    + "WHERE decision_id >= @floor AND mode = 'live' AND kind = 'diagnose' AND (area_cell IS NOT NULL OR place IS NOT NULL) "
                    + "ORDER BY decision_id",
                    ("floor", DecisionId.Floor(from))))
                {
                    command.Transaction = transaction;
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        decisions.Add(new LocatedDecision(reader.GetString(0), NullableString(reader, 1), NullableDouble(reader, 2), NullableDouble(reader, 3),
                            NullableString(reader, 4), reader.GetInt64(5), NullableString(reader, 6)));
                    }
                }
                // The causes of the window's tickets, and of tickets whose outcome came within it (before their diagnosis).
                await using (var command = Command(connection,
                    "SELECT ticket_id, confirmed_cause, received_at FROM tickets WHERE received_at >= @since "
                    + "OR ticket_id IN (SELECT ticket_id FROM decisions WHERE decision_id >= @floor AND ticket_id IS NOT NULL)",
                    ("since", Time(from)), ("floor", DecisionId.Floor(from))))
                {
                    command.Transaction = transaction;
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        confirmed.Add((reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)));
                    }
                }
            }
            index = new AreaIndex();
            index.Load(from, decisions, confirmed); // Off the lock: the index in service answers meanwhile.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            index = null; // Whatever failed (a locked or corrupt file, a value of another type): the look-up stays as it was.
        }
        finally
        {
            lock (_areaLoad)
            {
                if (index is not null && !_areaPendingLost)
                {
                    foreach (var change in _areaPending!)
                    {
                        change(index);
                    }
                    _area = index;
                }
                _areaPending = null;
            }
        }
    }

    /// <summary>What the store just wrote, into the index in service, and into the one being read, if any.</summary>
    private void AreaChanged(Action<AreaIndex> change)
    {
        lock (_areaLoad)
        {
            if (_area is { } area)
            {
                change(area);
            }
            _areaPending?.Add(change);
        }
    }

    /// <summary>The index cannot be kept up to date (a change could not be read back): it is dropped and read again at the
    /// next look-up, which SQL answers meanwhile.</summary>
    private void AreaLost()
    {
        lock (_areaLoad)
        {
            _area = null;
            _areaPendingLost = true;
        }
    }

    public override async Task<OutcomeCounts> RecordOutcomesAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await _outcomes.WaitAsync(cancellationToken);
        try
        {
            return await RecordOutcomesInOrderAsync(outcomes, receivedAt, cancellationToken);
        }
        finally
        {
            _outcomes.Release();
        }
    }

    private async Task<OutcomeCounts> RecordOutcomesInOrderAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var counts = await base.RecordOutcomesAsync(outcomes, receivedAt, cancellationToken);
        if (counts.Recorded > 0 && (_area is not null || _areaPending is not null))
        {
            try
            {
                // The tickets' latest causes as they now stand (a later outcome replaces an earlier one); read whatever the
                // caller does now, since the outcomes are stored.
                var causes = new List<(string, string)>();
                await using var connection = await OpenAsync(CancellationToken.None);
                await using var command = Command(connection, "SELECT confirmed_cause FROM tickets WHERE ticket_id = @ticket", ("ticket", ""));
                foreach (var ticket in outcomes.Select(o => o.TicketId).Distinct(StringComparer.Ordinal))
                {
                    Set(command, ("ticket", ticket));
                    if (await command.ExecuteScalarAsync(CancellationToken.None) is string cause)
                    {
                        causes.Add((ticket, cause));
                    }
                }
                AreaChanged(index => index.Confirmed(causes, receivedAt));
            }
            catch (SqliteException)
            {
                AreaLost();
            }
        }
        return counts;
    }

    public override async Task<int> EraseTicketAsync(string ticketId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var erased = await base.EraseTicketAsync(ticketId, at, cancellationToken);
        AreaChanged(index => index.Erase(ticketId));
        return erased;
    }
}
