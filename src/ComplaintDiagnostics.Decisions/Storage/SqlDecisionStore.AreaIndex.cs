using System.Data.Common;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The area look-up, on the request path of every voice complaint that leaves the area's history unknown, answered from
/// memory (<see cref="AreaIndex"/>). The first query (or one reaching further back than the window held) has the window
/// read in the background and is answered in SQL meanwhile, as is every query until it is read. The index is kept by
/// this store's own writes, outcomes, erasures and purges; where replicas share the record (PostgreSQL) also by what the
/// others store, read every second (<see cref="ReadOthersAsync"/>).
/// </summary>
public abstract partial class SqlDecisionStore
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
    private readonly CancellationTokenSource _stopping = new();
    private Task? _following;
    private bool _disposed;

    /// <summary>The area look-up: from memory once the window is read, in SQL until then.</summary>
    public async Task<IReadOnlyList<AreaNeighbour>> NearAsync(AreaQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (NearInMemory(query) is { } found)
        {
            return found;
        }
        _ = LoadAreaAsync(query.Since - TimeSpan.FromDays(1));
        return await NearInSqlAsync(query, cancellationToken);
    }

    /// <summary>The look-up in SQL, as it is answered until the window is read (and by the tests, against memory).</summary>
    internal async Task<IReadOnlyList<AreaNeighbour>> NearInSqlAsync(AreaQuery query, CancellationToken cancellationToken) =>
        Newest(await NearInSqlCoreAsync(query, cancellationToken), query);

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

    /// <summary>Begins the transaction the window is read in: one snapshot for both reads, never holding up the writers.</summary>
    protected abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection);

    /// <summary>Where replicas share the record: what every replica stored since <paramref name="after"/> (where the previous
    /// read stopped; with null, only where the window's <paramref name="snapshot"/> stands), and where the next read
    /// starts; null where this process is the only writer.</summary>
    protected virtual Task<AreaChanges?> ReadOthersAsync(DbConnection connection, DbTransaction? snapshot, object? after, CancellationToken cancellationToken) =>
        Task.FromResult<AreaChanges?>(null);

    private async Task ReadAreaAsync(DateTimeOffset from)
    {
        AreaIndex? index = null;
        object? watermark = null;
        try
        {
            var decisions = new List<LocatedDecision>();
            var confirmed = new List<(string, string, DateTimeOffset)>();
            await using (var connection = await OpenAsync(CancellationToken.None))
            {
                await using var transaction = await BeginSnapshotAsync(connection);
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
                            NullableString(reader, 4), ReadTime(reader, 5).ToUnixTimeMilliseconds(), NullableString(reader, 6)));
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
                // Where the replicas' changes are read from next: where the window's snapshot stands.
                watermark = (await ReadOthersAsync(connection, transaction, null, CancellationToken.None))?.Next;
            }
            index = new AreaIndex();
            index.Load(from, decisions, confirmed); // Off the lock: the index in service answers meanwhile.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            index = null; // Whatever failed (a store down, a locked or corrupt file, a value of another type): things stay as they were.
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
                    if (watermark is not null && _following is null && !_disposed)
                    {
                        _following = Task.Run(() => FollowOthersAsync(watermark));
                    }
                }
                _areaPending = null;
            }
        }
    }

    /// <summary>Every second, what the other replicas stored (decisions, causes, erasures) into the index in service. A
    /// read that fails is tried again at the next second from where the last one that worked left off.</summary>
    private async Task FollowOthersAsync(object watermark)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var stopping = _stopping.Token; // Taken once: the source is disposed when the store is.
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await using var connection = await OpenAsync(stopping);
                    if (await ReadOthersAsync(connection, null, watermark, stopping) is { } changes)
                    {
                        AreaChanged(index =>
                        {
                            // Erasures first: a decision or cause of the ticket still there to be read with them came after it.
                            foreach (var ticket in changes.Erased)
                            {
                                index.Erase(ticket);
                            }
                            index.Add(changes.Decisions);
                            index.Confirmed(changes.Confirmed);
                        });
                        watermark = changes.Next;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    // The store did not answer this second (or answered what could not be read): the next read starts from
                    // the same place, so nothing is skipped.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>What the store just wrote, into the index in service, and into the one being read, if any.</summary>
    protected void AreaChanged(Action<AreaIndex> change)
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

    /// <summary>The tickets' latest causes as they now stand, after outcomes were stored (a later outcome replaces an
    /// earlier one), into the index; read whatever the caller does now, since the outcomes are stored.</summary>
    private async Task AreaConfirmedAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt)
    {
        if (_area is null && _areaPending is null)
        {
            return;
        }
        try
        {
            var causes = new List<(string, string, DateTimeOffset)>();
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var command = Command(connection, "SELECT confirmed_cause FROM tickets WHERE ticket_id = @ticket", ("ticket", ""));
            foreach (var ticket in outcomes.Select(o => o.TicketId).Distinct(StringComparer.Ordinal))
            {
                Set(command, ("ticket", ticket));
                if (await command.ExecuteScalarAsync(CancellationToken.None) is string cause)
                {
                    causes.Add((ticket, cause, receivedAt));
                }
            }
            AreaChanged(index => index.Confirmed(causes));
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or TimeoutException)
        {
            AreaLost();
        }
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops following the other replicas; an engine lets go of its own connections after.</summary>
    protected virtual void Dispose(bool disposing)
    {
        Task? following;
        lock (_areaLoad)
        {
            if (!disposing || _disposed)
            {
                return;
            }
            _disposed = true;
            following = _following;
        }
        _stopping.Cancel();
        // The follower's read in flight ends with its connection's cancellation; it is waited for, briefly, so the
        // connections it holds are let go before the engine's.
        try
        {
            following?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // It ended by its cancellation.
        }
        _outcomes.Dispose();
        _stopping.Dispose();
    }
}

/// <summary>What other replicas stored since a read: their located live diagnoses, tickets' latest causes (with when they
/// came) and erased tickets; and where the next read starts.</summary>
public sealed record AreaChanges(IReadOnlyList<LocatedDecision> Decisions, IReadOnlyList<(string Ticket, string Cause, DateTimeOffset Received)> Confirmed,
    IReadOnlyList<string> Erased, object Next);
