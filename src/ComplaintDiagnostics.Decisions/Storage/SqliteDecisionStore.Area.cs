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
    private readonly AreaIndex _area = new();
    private readonly Lock _areaLoad = new();
    // While the window is read: what the store writes meanwhile, applied once it is in (the index takes a decision twice
    // as once). Null when no read is under way.
    private List<Action<AreaIndex>>? _areaPending;
    private bool _areaLoaded;

    /// <summary>The area look-up: from memory once the window is read, in SQL until then.</summary>
    public override Task<IReadOnlyList<AreaNeighbour>> NearAsync(AreaQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (_area.TryNear(query, out var found))
        {
            return Task.FromResult(Newest(found, query));
        }
        _ = LoadAreaAsync(query.Since - TimeSpan.FromDays(1), CancellationToken.None);
        return Task.FromResult(NearInSql(query));
    }

    /// <summary>The look-up in SQL, as it is answered until the window is read (and by the tests, against memory).</summary>
    internal IReadOnlyList<AreaNeighbour> NearInSql(AreaQuery query) => Newest(_lookups.Near(this, query), query);

    /// <summary>The look-up from memory, or null when the window does not cover it.</summary>
    internal IReadOnlyList<AreaNeighbour>? NearInMemory(AreaQuery query) => _area.TryNear(query, out var found) ? Newest(found, query) : null;

    /// <summary>Reads the located live diagnoses since <paramref name="from"/> and their tickets' confirmed causes into
    /// memory (at start, or when the rule set looks further back); a read already under way is waited for instead.</summary>
    public Task LoadAreaAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        lock (_areaLoad)
        {
            if (_areaPending is not null)
            {
                return _areaLoading ?? Task.CompletedTask;
            }
            _areaPending = [];
            return _areaLoading = Task.Run(() => ReadAreaAsync(from, cancellationToken), cancellationToken);
        }
    }

    private Task? _areaLoading;

    private async Task ReadAreaAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var decisions = new List<LocatedDecision>();
        var confirmed = new List<(string, string, DateTimeOffset)>();
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken); // One snapshot for both reads.
            await using (var command = Command(connection,
                "SELECT decision_id, ticket_id, latitude, longitude, place, recorded_at, complaint_type FROM decisions "
                + "WHERE decision_id >= @floor AND mode = 'live' AND kind = 'diagnose' AND (area_cell IS NOT NULL OR place IS NOT NULL)",
                ("floor", DecisionId.Floor(from))))
            {
                command.Transaction = transaction;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
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
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    confirmed.Add((reader.GetString(0), reader.GetString(1), ReadTime(reader, 2)));
                }
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException or OperationCanceledException)
        {
            lock (_areaLoad)
            {
                _areaPending = null; // The look-up stays in SQL; the next query tries again.
            }
            return;
        }
        lock (_areaLoad)
        {
            _area.Load(from, decisions, confirmed);
            foreach (var change in _areaPending!)
            {
                change(_area);
            }
            _areaPending = null;
            _areaLoaded = true;
        }
    }

    /// <summary>What the store just wrote, into the index: now when it is read, after its read when that is under way.</summary>
    private void AreaChanged(Action<AreaIndex> change)
    {
        lock (_areaLoad)
        {
            if (_areaPending is not null)
            {
                _areaPending.Add(change);
            }
            else if (_areaLoaded)
            {
                change(_area);
            }
        }
    }

    public override async Task<OutcomeCounts> RecordOutcomesAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var counts = await base.RecordOutcomesAsync(outcomes, receivedAt, cancellationToken);
        if (counts.Recorded > 0 && (_areaLoaded || _areaPending is not null))
        {
            // The tickets' latest causes as they now stand (a later outcome replaces an earlier one).
            var causes = new List<(string, string)>();
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, "SELECT confirmed_cause FROM tickets WHERE ticket_id = @ticket", ("ticket", ""));
            foreach (var ticket in outcomes.Select(o => o.TicketId).Distinct(StringComparer.Ordinal))
            {
                Set(command, ("ticket", ticket));
                if (await command.ExecuteScalarAsync(cancellationToken) is string cause)
                {
                    causes.Add((ticket, cause));
                }
            }
            AreaChanged(index => index.Confirmed(causes, receivedAt));
        }
        return counts;
    }

    public override async Task<int> EraseTicketAsync(string ticketId, CancellationToken cancellationToken)
    {
        var erased = await base.EraseTicketAsync(ticketId, cancellationToken);
        AreaChanged(index => index.Erase(ticketId));
        return erased;
    }
}
