using ComplaintDiagnostics.Decisions.Storage;

namespace ComplaintDiagnostics.Decisions.Recording;

/// <summary>
/// The located live diagnoses queued but not yet written (a batch waits up to <c>Decisions:FlushMilliseconds</c> for the
/// next): the area look-up reads them beside the store, so a complaint answered a moment ago at the same place is
/// "recorded" (domain.md, V4) before its batch reaches the store. Held by grid cell and by place, as the store's look-up
/// reads them; examined newest first, a few per cell or place, so a hot spot under load costs no more than a quiet one.
/// </summary>
internal sealed class PendingArea
{
    private const int Examined = 24;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, List<DecisionRecord>> _cells = [];
    private readonly Dictionary<string, List<DecisionRecord>> _places = new(StringComparer.Ordinal);

    public void Add(DecisionRecord decision)
    {
        if (!AreaIndex.Held(decision))
        {
            return;
        }
        _lock.Enter();
        try
        {
            if (AreaGrid.CellOf(decision.Latitude, decision.Longitude) is { } cell)
            {
                (_cells.TryGetValue(cell, out var list) ? list : _cells[cell] = []).Add(decision);
            }
            if (decision.Place is { } place)
            {
                (_places.TryGetValue(place, out var list) ? list : _places[place] = []).Add(decision);
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>A batch that has left the queue (written, or spooled until the store is back).</summary>
    public void Remove(IReadOnlyList<DecisionRecord> batch)
    {
        var gone = new HashSet<DecisionRecord>(batch.Where(AreaIndex.Held), ReferenceEqualityComparer.Instance);
        if (gone.Count == 0)
        {
            return;
        }
        _lock.Enter();
        try
        {
            Remove(_cells, gone);
            Remove(_places, gone);
        }
        finally
        {
            _lock.Exit();
        }
    }

    private static void Remove<TKey>(Dictionary<TKey, List<DecisionRecord>> lists, HashSet<DecisionRecord> gone)
        where TKey : notnull
    {
        foreach (var (key, list) in lists.ToList())
        {
            if (list.RemoveAll(gone.Contains) > 0 && list.Count == 0)
            {
                lists.Remove(key);
            }
        }
    }

    /// <summary>The pending complaints the store's look-up would find for <paramref name="query"/> (the caller measures the
    /// distance); a pending complaint's ticket has no confirmed cause yet as far as the look-up goes.</summary>
    public List<AreaNeighbour> Near(AreaQuery query)
    {
        var found = new List<AreaNeighbour>();
        _lock.Enter();
        try
        {
            if (_cells.Count + _places.Count == 0)
            {
                return found;
            }
            foreach (var cell in query.Cells)
            {
                if (_cells.TryGetValue(cell, out var list))
                {
                    Collect(list, query, found, d => query.Box is not { } box
                        || (d.Latitude >= box.MinLat && d.Latitude <= box.MaxLat && d.Longitude >= box.MinLon && d.Longitude <= box.MaxLon));
                }
            }
            // The place is matched where either side has no coordinates (AreaQuery).
            if (query.Place is { } place && _places.TryGetValue(place, out var atPlace))
            {
                Collect(atPlace, query, found, d => query.Cells.Count == 0 || AreaGrid.CellOf(d.Latitude, d.Longitude) is null);
            }
        }
        finally
        {
            _lock.Exit();
        }
        return found;
    }

    private static void Collect(List<DecisionRecord> list, AreaQuery query, List<AreaNeighbour> found, Func<DecisionRecord, bool> where)
    {
        for (int i = list.Count - 1, examined = 0; i >= 0 && examined < Examined; i--, examined++)
        {
            var d = list[i];
            if (d.RecordedAt >= query.Since && d.TicketId != query.ExceptTicket && d.ComplaintType is { } type
                && query.ComplaintTypes.Contains(type, StringComparer.Ordinal) && where(d) && !found.Exists(f => f.DecisionId == d.DecisionId))
            {
                found.Add(new AreaNeighbour(d.DecisionId, d.TicketId, d.Latitude, d.Longitude, d.Place, d.RecordedAt, null));
            }
        }
    }
}
