using System.Data.Common;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The TMF621 feed's events, which both engines keep with the same SQL: a claim per event id (the primary key
/// decides between two replicas handling one event), what the handling did, and the list of events.</summary>
public abstract partial class SqlDecisionStore
{
    private const string EventColumns = "event_id, event_type, ticket_id, received_at, decision_id, known_ticket";

    public async Task<(bool Claimed, TicketEvent? Earlier)> ClaimEventAsync(TicketEvent ticketEvent, CancellationToken cancellationToken)
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
        await using var select = Command(connection, $"SELECT {EventColumns} FROM ticket_events WHERE event_id = @event", ("event", ticketEvent.EventId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return (false, await reader.ReadAsync(cancellationToken) ? ReadEvent(reader) : null);
    }

    public async Task CompleteEventAsync(string eventId, string? decisionId, bool knownTicket, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "UPDATE ticket_events SET decision_id = @decision, known_ticket = @known WHERE event_id = @event",
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
        NullableString(reader, 4), reader.IsDBNull(5) ? null : Convert.ToInt64(reader.GetValue(5), System.Globalization.CultureInfo.InvariantCulture) != 0);
}
