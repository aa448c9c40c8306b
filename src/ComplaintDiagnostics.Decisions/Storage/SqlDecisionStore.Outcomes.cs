namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>Confirmed causes as the store keeps them, which both engines share: every outcome once per (ticket, event), and
/// each ticket's latest (by its resolution time, else its arrival), one call at a time so that the area look-up's memory
/// takes them in the order stored.</summary>
public abstract partial class SqlDecisionStore
{
    public async Task<OutcomeCounts> RecordOutcomesAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await _outcomes.WaitAsync(cancellationToken);
        try
        {
            var counts = await StoreOutcomesAsync(outcomes, receivedAt, cancellationToken);
            if (counts.Recorded > 0)
            {
                await AreaConfirmedAsync(outcomes, receivedAt);
            }
            return counts;
        }
        finally
        {
            _outcomes.Release();
        }
    }

    private async Task<OutcomeCounts> StoreOutcomesAsync(IReadOnlyList<OutcomeWrite> outcomes, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var insert = Command(connection,
            "INSERT INTO outcomes (ticket_id, event_id, confirmed_cause, resolved_at, received_at) "
            + "VALUES (@ticket, @event, @cause, @resolved, @received) ON CONFLICT (ticket_id, event_id) DO NOTHING",
            ("ticket", ""), ("event", ""), ("cause", ""), ("resolved", DBNull.Value), ("received", Time(receivedAt)));
        await using var latest = Command(connection,
            "INSERT INTO tickets (ticket_id, confirmed_cause, resolved_at, received_at) VALUES (@ticket, @cause, @resolved, @received) "
            + "ON CONFLICT (ticket_id) DO UPDATE SET confirmed_cause = excluded.confirmed_cause, resolved_at = excluded.resolved_at, "
            + "received_at = excluded.received_at "
            // The latest by when it was resolved (when it came, for one that does not say): a resolution delivered late
            // does not replace the one that came after it.
            + "WHERE COALESCE(excluded.resolved_at, excluded.received_at) >= COALESCE(tickets.resolved_at, tickets.received_at)",
            ("ticket", ""), ("cause", ""), ("resolved", DBNull.Value), ("received", Time(receivedAt)));
        await using var before = Command(connection,
            "SELECT confirmed_cause FROM outcomes WHERE ticket_id = @ticket AND event_id = @event", ("ticket", ""), ("event", ""));
        insert.Transaction = transaction;
        latest.Transaction = transaction;
        before.Transaction = transaction;
        var recorded = 0;
        var conflicts = new List<OutcomeConflict>();
        foreach (var outcome in outcomes)
        {
            var resolved = outcome.ResolvedAt is { } at ? Time(at) : DBNull.Value;
            Set(insert, ("ticket", outcome.TicketId), ("event", outcome.EventId), ("cause", outcome.ConfirmedCause), ("resolved", resolved));
            if (await insert.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                // The same event again is a repeat; the same event id with another cause is named, not taken as a repeat.
                Set(before, ("ticket", outcome.TicketId), ("event", outcome.EventId));
                if (await before.ExecuteScalarAsync(cancellationToken) is string cause && !string.Equals(cause, outcome.ConfirmedCause, StringComparison.Ordinal))
                {
                    conflicts.Add(new OutcomeConflict(outcome.TicketId, outcome.EventId, cause, outcome.ConfirmedCause));
                }
                continue;
            }
            recorded++;
            Set(latest, ("ticket", outcome.TicketId), ("cause", outcome.ConfirmedCause), ("resolved", resolved));
            await latest.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return new OutcomeCounts(recorded, outcomes.Count - recorded - conflicts.Count, conflicts);
    }
}
