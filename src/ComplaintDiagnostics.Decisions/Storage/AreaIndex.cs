namespace ComplaintDiagnostics.Decisions.Storage;

/// <summary>
/// The area look-up answered from memory: the located live diagnoses of a recent window (by grid cell and by place), and
/// the confirmed causes of their tickets, read once from the store and then kept up to date by the store's own writes
/// (decisions, outcomes, erasure). It answers exactly what <see cref="SqlDecisionStore.AreaQueries"/> answers (a test
/// compares the two on random records), in microseconds and without a database read on the request path. The store
/// feeds it (<c>SqlDecisionStore.AreaIndex.cs</c>): its own writes, and on PostgreSQL what the other replicas store.
/// </summary>
/// <remarks>The window follows the queries: it covers from the time it was loaded for, and as the queries' start moves
/// on, what falls a day behind it is let go. A query reaching further back than the window (a rule set that widened its
/// days) is not answered here: the store loads a wider window meanwhile and answers such a query in SQL. A ticket's
/// confirmed cause is let go with its last decision held (unless it came within the window): should that ticket be
/// diagnosed again later, this index takes it as unresolved where the SQL would still read the old cause.</remarks>
public sealed partial class AreaIndex
{
    /// <summary>Kept behind the newest query's start, so a query a little older (another request's clock) is covered.</summary>
    private static readonly long Margin = (long)TimeSpan.FromDays(1).TotalMilliseconds;

    private readonly Lock _lock = new();
    private readonly Dictionary<long, List<Entry>> _cells = [];
    private readonly Dictionary<string, List<Entry>> _places = new(StringComparer.Ordinal);
    // A ticket's latest confirmed cause and when it came, for the tickets held and those whose outcome came within the window.
    private readonly Dictionary<string, (string Cause, long Received)> _confirmed = new(StringComparer.Ordinal);
    private long _coveredFrom = long.MaxValue;
    private long _newestSince = long.MinValue;
    private long _sweptAt;
    // The newest decision taken in, and how far behind it the queries have reached (plus the margin): what is kept once
    // look-ups stop (a rule edit that drops areaHistory), so memory stays bounded as decisions go on arriving.
    private long _newestAt;
    private long _span;
    private long _addSweptAt;

    /// <summary>Fills a new index with a window read from the store: its decisions (any order) and their tickets' causes.</summary>
    public void Load(DateTimeOffset from, IEnumerable<LocatedDecision> decisions, IEnumerable<(string Ticket, string Cause, DateTimeOffset Received)> confirmed)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(confirmed);
        var since = from.ToUnixTimeMilliseconds();
        _lock.Enter();
        try
        {
            _cells.Clear();
            _places.Clear();
            _confirmed.Clear();
            foreach (var d in decisions)
            {
                Insert(new Entry(d.DecisionId, d.TicketId, d.Latitude, d.Longitude, d.Place, d.RecordedAt, d.ComplaintType));
            }
            foreach (var (ticket, cause, received) in confirmed)
            {
                _confirmed[ticket] = (cause, received.ToUnixTimeMilliseconds());
            }
            Volatile.Write(ref _coveredFrom, since);
            _span = Math.Max(_span, _newestAt - since);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Takes in decisions just written (only located live diagnoses are held).</summary>
    public void Add(IEnumerable<DecisionRecord> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        Add(decisions.Where(Held).Select(d =>
            new LocatedDecision(d.DecisionId, d.TicketId, d.Latitude, d.Longitude, d.Place, d.RecordedAt.ToUnixTimeMilliseconds(), d.ComplaintType)));
    }

    /// <summary>Takes in located live diagnoses (another replica's, read from the shared record).</summary>
    public void Add(IEnumerable<LocatedDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        _lock.Enter();
        try
        {
            foreach (var d in decisions)
            {
                Insert(new Entry(d.DecisionId, d.TicketId, d.Latitude, d.Longitude, d.Place, d.RecordedAt, d.ComplaintType));
            }
            if (_span > 0 && _newestAt - _addSweptAt >= Margin / 24)
            {
                _addSweptAt = _newestAt;
                Trim(_newestAt - _span, moveCoverage: true);
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Whether the look-up ever reads a decision: a live diagnosis with a grid cell or a place.</summary>
    public static bool Held(DecisionRecord decision) =>
        decision is { Mode: DecisionMode.Live, Kind: DecisionKind.Diagnose }
        && (AreaGrid.CellOf(decision.Latitude, decision.Longitude) is not null || decision.Place is not null);

    /// <summary>Tickets' latest confirmed causes, as the store now holds them, with when each came.</summary>
    public void Confirmed(IEnumerable<(string Ticket, string Cause, DateTimeOffset Received)> causes)
    {
        ArgumentNullException.ThrowIfNull(causes);
        _lock.Enter();
        try
        {
            foreach (var (ticket, cause, received) in causes)
            {
                _confirmed[ticket] = (cause, received.ToUnixTimeMilliseconds());
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Forgets a ticket's decisions and cause, as the store's erasure deletes them (what the store keeps of the
    /// ticket afterwards, a later diagnosis or outcome, is taken in afterwards).</summary>
    public void Erase(string ticketId)
    {
        _lock.Enter();
        try
        {
            _confirmed.Remove(ticketId);
            foreach (var list in _cells.Values.Concat(_places.Values))
            {
                list.RemoveAll(e => e.TicketId == ticketId);
            }
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Forgets what the store purged: decisions recorded and causes received before <paramref name="before"/>.</summary>
    public void Purge(DateTimeOffset before)
    {
        _lock.Enter();
        try
        {
            // As the store's purge: a cause received before it is deleted even while its ticket has a later decision.
            Trim(before.ToUnixTimeMilliseconds(), moveCoverage: false, keepHeldCauses: false);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Inserts in time order (decisions arrive nearly in order; one from the spool may be older).</summary>
    private void Insert(Entry entry)
    {
        _newestAt = Math.Max(_newestAt, entry.RecordedAt);
        if (entry.Cell is { } cell)
        {
            InsertInto(_cells, cell, entry);
        }
        if (entry.Place is { } place)
        {
            InsertInto(_places, place, entry);
        }
    }

    /// <summary>Whether <paramref name="a"/> comes after <paramref name="b"/>: later, or at the same millisecond with a greater id.</summary>
    private static bool Later(Entry a, Entry b) =>
        a.RecordedAt != b.RecordedAt ? a.RecordedAt > b.RecordedAt : string.CompareOrdinal(a.DecisionId, b.DecisionId) > 0;

    private static void InsertInto<TKey>(Dictionary<TKey, List<Entry>> lists, TKey key, Entry entry) where TKey : notnull
    {
        if (!lists.TryGetValue(key, out var list))
        {
            lists[key] = list = [];
        }
        // Ordered by time, then decision id, as the SQL reads them: a look-up in one list reads it newest first unsorted.
        var at = list.Count;
        while (at > 0 && Later(list[at - 1], entry))
        {
            at--;
        }
        // Idempotent, as the store's writes are: a batch written again from the spool, or read by a load and then added, is held once.
        if (at > 0 && list[at - 1].DecisionId == entry.DecisionId)
        {
            return;
        }
        list.Insert(at, entry);
    }

    /// <summary>As the queries' start moves on, lets go of what lies more than a day behind it (at most once an hour of it),
    /// and learns how far back they reach.</summary>
    private void Sweep(long since)
    {
        if (since <= Volatile.Read(ref _newestSince))
        {
            return;
        }
        Volatile.Write(ref _newestSince, since);
        if (since - Volatile.Read(ref _sweptAt) < Margin / 24 || !_lock.TryEnter())
        {
            return;
        }
        try
        {
            _sweptAt = since;
            _span = Math.Max(_span, _newestAt - since + Margin);
            Trim(since - Margin, moveCoverage: true);
        }
        finally
        {
            _lock.Exit();
        }
    }

    /// <summary>Lets go of decisions recorded before <paramref name="keep"/>, and of causes received before it whose ticket has
    /// no decision left (or, without <paramref name="keepHeldCauses"/>, all of them), under the lock; with
    /// <paramref name="moveCoverage"/>, queries reaching further back are no longer answered here.</summary>
    private void Trim(long keep, bool moveCoverage, bool keepHeldCauses = true)
    {
        if (moveCoverage)
        {
            if (keep <= _coveredFrom)
            {
                return;
            }
            _coveredFrom = keep;
        }
        Trim(_cells, keep);
        Trim(_places, keep);
        // A cause is kept while its ticket has a decision held, or came within the window (before its diagnosis).
        var held = keepHeldCauses
            ? _cells.Values.Concat(_places.Values).SelectMany(l => l).Select(e => e.TicketId).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var ticket in _confirmed.Where(c => c.Value.Received < keep && !held.Contains(c.Key)).Select(c => c.Key).ToList())
        {
            _confirmed.Remove(ticket);
        }
    }

    private static void Trim<TKey>(Dictionary<TKey, List<Entry>> lists, long keep) where TKey : notnull
    {
        foreach (var (key, list) in lists.ToList())
        {
            var old = 0;
            while (old < list.Count && list[old].RecordedAt < keep)
            {
                old++;
            }
            if (old == list.Count)
            {
                lists.Remove(key);
            }
            else if (old > 0)
            {
                list.RemoveRange(0, old);
            }
        }
    }

    private sealed class Entry(string decisionId, string? ticketId, double? latitude, double? longitude, string? place, long recordedAt, string? complaintType)
    {
        public string DecisionId { get; } = decisionId;
        public string? TicketId { get; } = ticketId;
        public double? Latitude { get; } = latitude;
        public double? Longitude { get; } = longitude;
        public long? Cell { get; } = AreaGrid.CellOf(latitude, longitude);
        public string? Place { get; } = place;
        public long RecordedAt { get; } = recordedAt;
        public string? ComplaintType { get; } = complaintType is null ? null : string.IsInterned(complaintType) ?? complaintType;
    }
}

/// <summary>A located live diagnosis as the area index holds it (<see cref="AreaIndex"/>); times in Unix milliseconds.</summary>
public readonly record struct LocatedDecision(string DecisionId, string? TicketId, double? Latitude, double? Longitude, string? Place, long RecordedAt, string? ComplaintType);
