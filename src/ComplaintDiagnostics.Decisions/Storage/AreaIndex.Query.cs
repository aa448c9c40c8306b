namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>The area look-up answered from what <see cref="AreaIndex"/> holds, as its SQL answers it.</summary>
public sealed partial class AreaIndex
{
    /// <summary>The query's answer, when the window covers it: the newest at most <see cref="SqlDecisionStore.MaxExamined"/>
    /// complaints in the cells' box and at the place (each search on its own, as the SQL's), then those of another ticket
    /// still unresolved, newest first, at most the query's limit.</summary>
    public bool TryNear(AreaQuery query, out IReadOnlyList<AreaNeighbour> found)
    {
        ArgumentNullException.ThrowIfNull(query);
        found = [];
        var since = query.Since.ToUnixTimeMilliseconds();
        var result = new List<AreaNeighbour>();
        _lock.Enter();
        try
        {
            if (since < _coveredFrom)
            {
                return false;
            }
            if (query.Cells.Count > 0 && query.Box is { } box)
            {
                var near = new List<Entry>();
                var lists = 0;
                foreach (var cell in query.Cells)
                {
                    if (_cells.TryGetValue(cell, out var list))
                    {
                        Newest(list, since, query, e => e.Latitude >= box.MinLat && e.Latitude <= box.MaxLat && e.Longitude >= box.MinLon && e.Longitude <= box.MaxLon, near);
                        lists++;
                    }
                }
                if (lists > 1)
                {
                    near.Sort(NewestFirst);
                }
                Unresolved(near, query, result);
            }
            if (query.Place is { } place && _places.TryGetValue(place, out var atPlace))
            {
                var there = new List<Entry>();
                Newest(atPlace, since, query, e => query.Cells.Count == 0 || e.Cell is null, there);
                Unresolved(there, query, result);
            }
        }
        finally
        {
            _lock.Exit();
        }
        found = result;
        Sweep(since);
        return true;
    }

    /// <summary>The newest at most <see cref="SqlDecisionStore.MaxExamined"/> of a time-ordered list since the query's start,
    /// of its types and passing <paramref name="where"/>, added to <paramref name="into"/>.</summary>
    private static void Newest(List<Entry> list, long since, AreaQuery query, Func<Entry, bool> where, List<Entry> into)
    {
        var taken = 0;
        for (var i = list.Count - 1; i >= 0 && taken < SqlDecisionStore.MaxExamined; i--)
        {
            var e = list[i];
            if (e.RecordedAt < since)
            {
                break;
            }
            if (e.ComplaintType is { } type && Contains(query.ComplaintTypes, type) && where(e))
            {
                into.Add(e);
                taken++;
            }
        }
    }

    /// <summary>Of the newest examined (across the cells), those of another ticket still unresolved, at most the limit.</summary>
    /// <param name="examined">Newest first: one list's entries as <see cref="Newest"/> reads them, or several sorted.</param>
    private void Unresolved(List<Entry> examined, AreaQuery query, List<AreaNeighbour> into)
    {
        var taken = 0;
        for (var i = 0; i < examined.Count && i < SqlDecisionStore.MaxExamined && taken < query.Limit; i++)
        {
            var e = examined[i];
            if (e.TicketId is not null && e.TicketId == query.ExceptTicket)
            {
                continue;
            }
            string? cause = null;
            if (e.TicketId is not null && _confirmed.TryGetValue(e.TicketId, out var confirmed))
            {
                if (!Contains(query.StillUnresolvedAs, confirmed.Cause))
                {
                    continue;
                }
                cause = confirmed.Cause;
            }
            into.Add(new AreaNeighbour(e.DecisionId, e.TicketId, e.Latitude, e.Longitude, e.Place, DateTimeOffset.FromUnixTimeMilliseconds(e.RecordedAt), cause));
            taken++;
        }
    }

    private static readonly Comparison<Entry> NewestFirst = static (a, b) => Later(a, b) ? -1 : Later(b, a) ? 1 : 0;

    private static bool Contains(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
