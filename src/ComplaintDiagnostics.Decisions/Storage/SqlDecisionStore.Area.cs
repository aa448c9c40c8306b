using System.Data.Common;

namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The area look-up's SQL, which both engines share: the recent unresolved complaints near a place.</summary>
public abstract partial class SqlDecisionStore
{
    /// <summary>The look-up's queries on a connection of the pool; what they found, in no order.</summary>
    protected virtual async Task<IReadOnlyList<AreaNeighbour>> NearInSqlCoreAsync(AreaQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var found = new List<AreaNeighbour>();
        await using var connection = await OpenAsync(cancellationToken);
        foreach (var (sql, parameters) in AreaQueries(query, "@"))
        {
            await using var command = Command(connection, sql, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found.Add(ReadNeighbour(reader));
            }
        }
        return found;
    }

    /// <summary>What the cell query and the place query found together, newest first, as many as the query asks for
    /// (each already excludes the complaint's own ticket and resolved ones).</summary>
    protected static IReadOnlyList<AreaNeighbour> Newest(IEnumerable<AreaNeighbour> found, AreaQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return [.. found.OrderByDescending(n => n.RecordedAt).ThenByDescending(n => n.DecisionId, StringComparer.Ordinal).Take(query.Limit)];
    }

    /// <summary>The most complaints one look-up examines at a place or in a cell (newest first): a ticket sent again and
    /// again, or a hot spot, cannot make every look-up read a month of the record.</summary>
    public const int MaxExamined = 200;

    /// <summary>The area look-up as SQL (one query by grid cell and box, one by place), with its parameters named with
    /// <paramref name="prefix"/>: the newest live diagnoses there, of another ticket, whose ticket is still unresolved,
    /// so a hot spot's many resolved complaints never hide an unresolved one behind a limit. A ticket's outcome is read
    /// by a subquery per row, not a join: SQLite's plan for the join read a place's whole month (0.3 ms at 90,000
    /// complaints) where this stops at the newest that qualify.</summary>
    internal IEnumerable<(string Sql, List<(string, object)> Parameters)> AreaQueries(AreaQuery query, string prefix)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<(string, object)> { ("since", Time(query.Since)), ("limit", query.Limit) };
        string In(string name, IEnumerable<object> values) => string.Join(", ", values.Select((value, i) =>
        {
            parameters.Add(($"{name}{i}", value));
            return $"{prefix}{name}{i}";
        }));
        var types = In("type", query.ComplaintTypes);
        var resolvedOtherwise = query.StillUnresolvedAs.Count == 0 ? ""
            : $" AND t.confirmed_cause NOT IN ({In("cause", query.StillUnresolvedAs)})";
        var except = "";
        if (query.ExceptTicket is { } ticket)
        {
            parameters.Add(("except", ticket));
            except = $" AND (d.ticket_id IS NULL OR d.ticket_id <> {prefix}except)";
        }
        // The newest complaints there (at most MaxExamined, read from the covering index), then those of another ticket
        // still unresolved: a look-up costs the same however many complaints one ticket or a hot spot piled up.
        parameters.Add(("examined", MaxExamined));
        string Scan(string where) =>
            "SELECT d.decision_id, d.ticket_id, d.latitude, d.longitude, d.place, d.recorded_at, "
            + "(SELECT t.confirmed_cause FROM tickets t WHERE t.ticket_id = d.ticket_id) FROM ("
            + "SELECT d.decision_id, d.ticket_id, d.latitude, d.longitude, d.place, d.recorded_at FROM decisions d "
            + $"WHERE d.mode = 'live' AND d.kind = 'diagnose' AND d.recorded_at >= {prefix}since AND d.complaint_type IN ({types}) AND {where} "
            + $"ORDER BY d.recorded_at DESC LIMIT {prefix}examined) d "
            + $"WHERE 1 = 1{except} AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.ticket_id = d.ticket_id{resolvedOtherwise}) "
            + $"ORDER BY d.recorded_at DESC LIMIT {prefix}limit";
        var queries = new List<(string, List<(string, object)>)>();
        var common = parameters.Count;
        if (query.Cells.Count > 0 && query.Box is { } box)
        {
            parameters.AddRange([("minLat", box.MinLat), ("maxLat", box.MaxLat), ("minLon", box.MinLon), ("maxLon", box.MaxLon)]);
            queries.Add((Scan($"d.area_cell IS NOT NULL AND d.area_cell IN ({In("cell", query.Cells.Cast<object>())}) "
                + $"AND d.latitude BETWEEN {prefix}minLat AND {prefix}maxLat AND d.longitude BETWEEN {prefix}minLon AND {prefix}maxLon"), [.. parameters]));
        }
        if (query.Place is { } place)
        {
            parameters.RemoveRange(common, parameters.Count - common);
            parameters.Add(("place", place));
            queries.Add((Scan($"d.place = {prefix}place{(query.Cells.Count > 0 ? " AND d.area_cell IS NULL" : "")}"), [.. parameters]));
        }
        return queries;
    }

    /// <summary>One row of an area query.</summary>
    internal AreaNeighbour ReadNeighbour(DbDataReader reader) =>
        new(reader.GetString(0), NullableString(reader, 1), NullableDouble(reader, 2), NullableDouble(reader, 3), NullableString(reader, 4),
            ReadTime(reader, 5), NullableString(reader, 6));
}
