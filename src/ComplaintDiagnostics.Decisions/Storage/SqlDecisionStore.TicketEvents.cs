using System.Data.Common;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The TMF621 feed's events, which both engines keep with the same SQL: a claim per event id (the primary key
/// decides between two replicas handling one event), what the handling did, and the list of events.</summary>
public abstract partial class SqlDecisionStore
{
    private const string EventColumns = "event_id, event_type, ticket_id, received_at, decision_id, known_ticket, writeback_state, writeback_attempts, writeback_error";

    public async Task<(bool Claimed, TicketEvent? Earlier)> ClaimEventAsync(TicketEvent ticketEvent, TimeSpan lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ticketEvent);
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = Command(connection,
            "INSERT INTO ticket_events (event_id, event_type, ticket_id, received_at) VALUES (@event, @type, @ticket, @received) "
            + "ON CONFLICT (event_id) DO NOTHING",
            ("event", ticketEvent.EventId), ("type", ticketEvent.EventType), ("ticket", (object?)ticketEvent.TicketId ?? DBNull.Value),
            ("received", Time(ticketEvent.ReceivedAt)));
        if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
        {
            return (true, null);
        }
        TicketEvent? earlier;
        await using (var select = Command(connection, $"SELECT {EventColumns} FROM ticket_events WHERE event_id = @event", ("event", ticketEvent.EventId)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            earlier = await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null;
        }
        // Claimed but never finished (the replica died, or the caller went away) and the claim's lease is over: taken again,
        // by one replica (the claim's time is compared).
        if (earlier is { KnownTicket: null } stale && stale.ReceivedAt + lease <= ticketEvent.ReceivedAt
            && stale.EventType == ticketEvent.EventType && stale.TicketId == ticketEvent.TicketId)
        {
            await using var retake = Command(connection,
                "UPDATE ticket_events SET received_at = @now WHERE event_id = @event AND received_at = @seen AND known_ticket IS NULL",
                ("now", Time(ticketEvent.ReceivedAt)), ("event", ticketEvent.EventId), ("seen", Time(stale.ReceivedAt)));
            if (await retake.ExecuteNonQueryAsync(cancellationToken) == 1)
            {
                return (true, stale);
            }
        }
        return (false, earlier);
    }

    public async Task CompleteEventAsync(string eventId, string? decisionId, bool knownTicket, DateTimeOffset? writeBackAt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // Completed and its write-back queued in one statement: nothing can be completed and never written back.
        await using var command = writeBackAt is { } at
            ? Command(connection,
                "UPDATE ticket_events SET decision_id = @decision, known_ticket = @known, writeback_state = 'pending', writeback_next_at = @writeback "
                + "WHERE event_id = @event",
                ("decision", (object?)decisionId ?? DBNull.Value), ("known", knownTicket ? 1 : 0), ("writeback", Time(at)), ("event", eventId))
            : Command(connection, "UPDATE ticket_events SET decision_id = @decision, known_ticket = @known WHERE event_id = @event",
                ("decision", (object?)decisionId ?? DBNull.Value), ("known", knownTicket ? 1 : 0), ("event", eventId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ReleaseEventAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "DELETE FROM ticket_events WHERE event_id = @event", ("event", eventId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<TicketEvent>> ListEventsAsync(int limit, bool unknownOnly, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {EventColumns} FROM ticket_events {(unknownOnly ? "WHERE known_ticket = 0 " : "")}ORDER BY received_at DESC, event_id LIMIT @limit",
            ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<TicketEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(ReadEvent(reader));
        }
        return events;
    }

    private TicketEvent ReadEvent(DbDataReader reader) => new(reader.GetString(0), reader.GetString(1), NullableString(reader, 2), ReadTime(reader, 3),
        NullableString(reader, 4), reader.IsDBNull(5) ? null : Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture) != 0)
    {
        WriteBack = NullableString(reader, 6) is { } state
            ? new WriteBackState(state, Convert.ToInt32(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture), NullableString(reader, 8))
            : null,
    };
}

/// <summary>The write-back of findings to the ticket system, with the event rows as its durable queue: an entry is due
/// when its next attempt's time has come; a replica takes it by moving that time on, compared with the time it read, so
/// of two replicas one writes it.</summary>
public abstract partial class SqlDecisionStore
{
    public async Task<IReadOnlyList<WriteBackEntry>> DueWriteBacksAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT event_id, ticket_id, decision_id, writeback_attempts, writeback_next_at FROM ticket_events "
            + "WHERE writeback_state = 'pending' AND writeback_next_at <= @now ORDER BY writeback_next_at LIMIT @limit",
            ("now", Time(now)), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var due = new List<WriteBackEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new WriteBackEntry(reader.GetString(0), NullableString(reader, 1), NullableString(reader, 2),
                Convert.ToInt32(reader.GetValue(3), System.Globalization.CultureInfo.InvariantCulture), ReadTime(reader, 4)));
        }
        return due;
    }

    public async Task<bool> TakeWriteBackAsync(WriteBackEntry entry, DateTimeOffset until, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE ticket_events SET writeback_next_at = @until WHERE event_id = @event AND writeback_state = 'pending' AND writeback_next_at = @seen",
            ("until", Time(until)), ("event", entry.EventId), ("seen", Time(entry.NextAt)));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task FinishWriteBackAsync(string eventId, string state, int attempts, DateTimeOffset? nextAt, string? failure, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "UPDATE ticket_events SET writeback_state = @state, writeback_attempts = @attempts, writeback_next_at = @next, writeback_error = @error WHERE event_id = @event",
            ("state", state), ("attempts", attempts), ("next", nextAt is { } next ? Time(next) : DBNull.Value), ("error", (object?)failure ?? DBNull.Value),
            ("event", eventId));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<string, long>> WriteBackCountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection,
            "SELECT writeback_state, COUNT(*) FROM ticket_events WHERE writeback_state IS NOT NULL GROUP BY writeback_state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }
}
